//! The ArchManual lint rule engine and output formats.
