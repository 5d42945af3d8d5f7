import Foundation
import PackagePlugin

/// Embeds the files the running mock serves or starts from: the target's `openapi.yml` and the
/// package's bundled `seed-data/` (so a binary copied anywhere starts with it).
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let package = context.package.directoryURL
        let files: [(name: String, url: URL)] = [
            ("openAPIDocumentText", target.directoryURL.appending(path: "openapi.yml")),
            ("bundledIntegrationsText", package.appending(path: "seed-data/integrations.json")),
            ("bundledCustomersText", package.appending(path: "seed-data/customers.json")),
            ("bundledAuthorizationsText", package.appending(path: "seed-data/authorizations.json")),
        ]
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedResources.swift")
        return [
            .buildCommand(
                displayName: "Embedding openapi.yml and seed-data",
                executable: try context.tool(named: "embed-text").url,
                arguments: [output.path()] + files.map { "\($0.name)=\($0.url.path())" },
                inputFiles: files.map(\.url),
                outputFiles: [output]
            )
        ]
    }
}
