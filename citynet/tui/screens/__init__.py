"""One module per screen; they are imported when first shown."""
