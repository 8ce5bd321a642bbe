// Defaults of the embedded database, in a module of their own so the config schema can name them
// without loading PGlite.

// 16MB keeps a worker under 400 MB through a 100,000-recipient campaign (bench:send: VmHWM 382 MB,
// against 409 MB with 32MB); pages it cannot hold are read back through the OS page cache.
export const PGLITE_SHARED_BUFFERS_DEFAULT = '16MB';
