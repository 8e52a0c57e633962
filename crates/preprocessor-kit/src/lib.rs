//! The mdBook 0.5 preprocessor wire protocol: version check, supports, stdin/stdout.
