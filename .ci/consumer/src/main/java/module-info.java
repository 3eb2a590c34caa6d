/** README's example as a module: it needs the API module only; service binding brings the backends. */
module example.consumer {
    requires io.github.jsocketpair;
}
