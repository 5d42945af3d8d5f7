/// How the sandbox controls (everything under `/_sandbox/`, outside Paystack's namespace) behave.
public struct SandboxOptions: Sendable {
    /// False removes every `/_sandbox/` route (they answer 404).
    public var adminEnabled: Bool
    /// When set, `/_sandbox/` routes require `Authorization: Bearer <token>`.
    public var adminToken: String?
    /// `Access-Control-Allow-Origin` on every answer, for browser demos.
    public var corsOrigin: String

    public init(adminEnabled: Bool = true, adminToken: String? = nil, corsOrigin: String = "*") {
        self.adminEnabled = adminEnabled
        self.adminToken = adminToken
        self.corsOrigin = corsOrigin
    }
}
