import PaystackCore

/// The repository's `seed-data/`, embedded in the binary at build time: what the mock starts from
/// when no `--seed-data` is given, wherever the binary was copied.
public enum BundledSeed {
    public static let name = "the bundled seed-data"

    public static func load() throws(SeedError) -> SeedData {
        try SeedLoader.decode(
            integrations: ("bundled \(SeedLoader.integrationsFile)", .bytes(Array(bundledIntegrationsText.utf8))),
            customers: ("bundled \(SeedLoader.customersFile)", .bytes(Array(bundledCustomersText.utf8))),
            authorizations: ("bundled \(SeedLoader.authorizationsFile)", .bytes(Array(bundledAuthorizationsText.utf8))))
    }
}
