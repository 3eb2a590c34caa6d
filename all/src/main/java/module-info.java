/**
 * jsocketpair in one dependency: reads and re-exports the API module {@code io.github.jsocketpair}. The artifact
 * brings every backend along at run time; on the module path, service binding resolves the backend modules (core
 * {@code uses} their provider), so an application can require either this module or the API module.
 */
module io.github.jsocketpair.all {
    requires transitive io.github.jsocketpair;
}
