import PackagePlugin

/// Embeds the target's `openapi.yml` as the Swift constant `openAPIDocumentText`.
@main
struct EmbedOpenAPI: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let input = target.directoryURL.appending(path: "openapi.yml")
        let output = context.pluginWorkDirectoryURL.appending(path: "OpenAPIDocument.swift")
        return [
            .buildCommand(
                displayName: "Embedding openapi.yml",
                executable: try context.tool(named: "embed-text").url,
                arguments: [input.path(), output.path(), "openAPIDocumentText"],
                inputFiles: [input],
                outputFiles: [output]
            )
        ]
    }
}
