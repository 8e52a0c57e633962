//! mdBook preprocessor: generated category index pages and the technology map.
