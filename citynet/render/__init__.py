"""Documents and feeds made from the services' read models: ``pdf/`` (ReportLab documents).

Imported only by the commands and UI actions that export, never by the store or the services.
"""
