"""Web pages: server-rendered, thin. Each page finds what the signed-in person may see (404
otherwise) and calls the same selectors and services as the API."""
