"""Build steps of the site that are not MkDocs pages: the browser runtime and the search index."""
