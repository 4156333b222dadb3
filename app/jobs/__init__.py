"""Background jobs claimed safely by several runners; the features register their own kinds."""
