"""The observatory: how each organisation answers patients, in anonymous public figures."""
