"""Build hook: compile locales/*/LC_MESSAGES/citynet.po into the package, so that a
non-editable install (pip install .) ships the .mo files that git does not track.
All other metadata is in pyproject.toml."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CATALOGS = "locales/*/LC_MESSAGES/citynet.po"


class build_py_with_catalogs(build_py):
    def run(self):
        super().run()
        if not getattr(self, "editable_mode", False):  # editable installs read locales/ directly
            self.compile_catalogs()

    def compile_catalogs(self):
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path(__file__).parent.glob(CATALOGS)):
            lang = po.parts[-3]
            target = Path(self.build_lib, "citynet", "i18n", "locale", lang, "LC_MESSAGES", "citynet.mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as f:
                catalog = read_po(f, domain="citynet")
            with target.open("wb") as f:
                write_mo(f, catalog)

    def get_source_files(self):
        """Put the .po files into the sdist, so a wheel built from it has catalogs too."""
        root = Path(__file__).parent
        return super().get_source_files() + [str(p.relative_to(root)) for p in sorted(root.glob(CATALOGS))]


setup(cmdclass={"build_py": build_py_with_catalogs})
