"""Build steps of the site that are not MkDocs pages: the browser runtime, the search index and
the guides' figures computed by the engine (embeds). Nothing here is downloaded by a visitor's
browser, and nothing here imports MkDocs: the hooks call into it."""
