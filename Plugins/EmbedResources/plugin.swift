import Foundation
import PackagePlugin

/// Embeds the files the running mock serves or starts from, so a binary copied anywhere has them:
/// for PaystackMock its `openapi.yml` and the package's bundled `seed-data/`, for Dashboard the page.
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let package = context.package.directoryURL
        let files: [(name: String, url: URL)] = target.name == "Dashboard" ? [
            ("dashboardIndexText", target.directoryURL.appending(path: "Resources/index.html")),
            ("dashboardStyleText", target.directoryURL.appending(path: "Resources/app.css")),
            ("dashboardScriptText", target.directoryURL.appending(path: "Resources/app.js")),
        ] : [
            ("openAPIDocumentText", target.directoryURL.appending(path: "openapi.yml")),
            ("bundledIntegrationsText", package.appending(path: "seed-data/integrations.json")),
            ("bundledCustomersText", package.appending(path: "seed-data/customers.json")),
            ("bundledAuthorizationsText", package.appending(path: "seed-data/authorizations.json")),
        ]
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedResources.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.map(\.url.lastPathComponent).joined(separator: ", "))",
                executable: try context.tool(named: "embed-text").url,
                arguments: [output.path()] + files.map { "\($0.name)=\($0.url.path())" },
                inputFiles: files.map(\.url),
                outputFiles: [output]
            )
        ]
    }
}
