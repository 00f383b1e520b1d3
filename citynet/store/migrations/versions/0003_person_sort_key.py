"""person.sort_key: the people list's 五十音順 as one indexed text

Revision ID: 0003_person_sort_key
Revises: 0002_history_search
Create Date: 2027-01-15

- ``person.sort_key`` (nullable like ``search_key``, so that SQLite adds it without rebuilding the
  table, which its foreign keys forbid; every writer fills it; "C" collation on PostgreSQL so that it compares by
  code point as on SQLite) and the index ``ix_person_sort_key`` on ``(sort_key, id)``;
- computed here for the rows already stored, with a frozen copy of the rules of
  ``citynet.services.search.person_sort_key`` (and ``citynet.i18n.names.kana_sort_key``) as they
  were at this revision (a later change of the rules needs a migration of its own).
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0003_person_sort_key'
down_revision = '0002_history_search'
branch_labels = None
depends_on = None

SORT_KEY_TYPE = sa.String().with_variant(sa.String(collation='C'), 'postgresql')

# Frozen copy of services/search.py person_sort_key and i18n/names.py kana_sort_key.
_VOWELS = {'A': 'あ', 'I': 'い', 'U': 'う', 'E': 'え', 'O': 'お'}
SEP = '\x01'


def _kana_sort_key(reading):
    primary, secondary, tertiary, quaternary = [], [], [], []
    vowel = None
    for ch in unicodedata.normalize('NFKC', reading):
        katakana = '\u30a1' <= ch <= '\u30f6'
        hira = chr(ord(ch) - 0x60) if katakana else ch
        long_mark = ch == 'ー' and vowel is not None
        small = False
        voice = 0
        if long_mark:
            base = vowel
        else:
            decomposed = unicodedata.normalize('NFD', hira)
            base = decomposed[0]
            voice = 1 if '\u3099' in decomposed else 2 if '\u309a' in decomposed else 0
            name = unicodedata.name(base, '')
            if name.startswith('HIRAGANA LETTER SMALL '):
                small = True
                base = unicodedata.lookup(name.replace('SMALL ', ''))
                name = unicodedata.name(base)
            vowel = _VOWELS.get(name[-1]) if name.startswith('HIRAGANA LETTER ') else None
        primary.append(base)
        secondary.append(voice)
        tertiary.append(0 if long_mark or small else 1)
        quaternary.append(1 if katakana else 0)
    return ''.join(primary), secondary, tertiary, quaternary


def _sort_text(text):
    return ''.join('\x02' + chr(ord(c) + 0x20) if c < '\x03' else c for c in text)


def _latin(text):
    decomposed = unicodedata.normalize('NFKD', text or '')
    return ''.join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _sort_key(values):
    reading = (values.get('name_kana') or '').strip()
    if reading:
        primary, *levels = _kana_sort_key(reading)
        head = SEP.join(['0' + _sort_text(primary), *(''.join(map(str, level)) for level in levels)])
    else:
        head = '1'
    return SEP.join([head, _sort_text(_latin(values.get('family_name_latin'))),
                     _sort_text(_latin(values.get('given_name_latin')))])


def _fill_sort_keys(connection) -> None:
    fields = ('name_kana', 'family_name_latin', 'given_name_latin')
    table = sa.table('person', sa.column('id'), sa.column('sort_key'),
                     *[sa.column(f) for f in fields])
    rows = connection.execute(sa.select(table.c.id, *[table.c[f] for f in fields])).all()
    updates = [{'row_id': row.id, 'key': _sort_key(row._mapping)} for row in rows]
    for start in range(0, len(updates), 10_000):
        connection.execute(
            sa.update(table).where(table.c.id == sa.bindparam('row_id'))
            .values(sort_key=sa.bindparam('key')), updates[start:start + 10_000])


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_key', SORT_KEY_TYPE, nullable=True))
        batch_op.create_index('ix_person_sort_key', ['sort_key', 'id'], unique=False)
    _fill_sort_keys(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_sort_key')
        batch_op.drop_column('sort_key')
