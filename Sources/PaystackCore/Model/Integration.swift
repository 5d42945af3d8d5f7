/// A Paystack business account: its keys select it, and with them a domain.
public struct Integration: Sendable, Equatable {
    public var id: Int
    public var businessName: String
    public var secretKeys: [Domain: String]
    public var publicKeys: [Domain: String]
    public var webhookURL: String?
    /// Paystack answers 403 when such an integration sets `risk_action` to `allow`.
    public var forbidsAllowRiskAction: Bool

    public init(
        id: Int, businessName: String, secretKeys: [Domain: String], publicKeys: [Domain: String] = [:],
        webhookURL: String? = nil, forbidsAllowRiskAction: Bool = false
    ) {
        self.id = id
        self.businessName = businessName
        self.secretKeys = secretKeys
        self.publicKeys = publicKeys
        self.webhookURL = webhookURL
        self.forbidsAllowRiskAction = forbidsAllowRiskAction
    }
}
