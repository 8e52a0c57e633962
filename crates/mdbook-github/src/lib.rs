//! mdBook preprocessor: GitHub star counts, archived and renamed badges from the snapshot.
