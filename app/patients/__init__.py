"""Patient files: identity, platforms used and stored letters, sealed at rest."""
