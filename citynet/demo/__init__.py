"""The demo dataset: the facts of Saitama City's presentation on its zero-carbon and
international work, in ja and en.

``citynet.demo.data`` holds the facts as plain tables; ``citynet.demo.loader.load_demo(engine)``
inserts them into a store.
"""
