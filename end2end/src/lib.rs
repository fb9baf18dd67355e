//! Browser tests live in tests/browsers (see README): this library is empty.
