//! Link-rot checking of every external link with history across runs.
