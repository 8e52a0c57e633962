// Placeholder: the search UI (owned by the search-ui branch) replaces this file.
