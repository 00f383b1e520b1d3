"""citynet's terminal UI (Textual). Import ``citynet.tui.app.run_app``; nothing here loads Textual."""
