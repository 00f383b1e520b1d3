"""Presenters: the only code that turns the services' results into sentences and lines for a
person (the command line and the terminal UI print them). Services return data; every word here
goes through the catalog."""
