import JSON

/// A customer of one integration in one domain.
public struct Customer: Sendable, Equatable {
    public var id: Int
    public var integration: Int
    public var domain: Domain
    /// `CUS_` + 15 of `[a-z0-9]`.
    public var customerCode: String
    /// Stored as given; matched case-insensitively.
    public var email: String
    public var firstName: String?
    public var lastName: String?
    public var phone: String?
    /// Always an object when present.
    public var metadata: JSONObject?
    public var riskAction: RiskAction
    public var identified: Bool
    public var identifications: [Identification]?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// Active card authorizations; a deactivated one is removed.
    public var authorizations: [Authorization]

    public init(
        id: Int, integration: Int, domain: Domain, customerCode: String, email: String,
        firstName: String? = nil, lastName: String? = nil, phone: String? = nil, metadata: JSONObject? = nil,
        riskAction: RiskAction = .default, identified: Bool = false, identifications: [Identification]? = nil,
        createdAt: Timestamp, updatedAt: Timestamp, authorizations: [Authorization] = []
    ) {
        self.id = id
        self.integration = integration
        self.domain = domain
        self.customerCode = customerCode
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.metadata = metadata
        self.riskAction = riskAction
        self.identified = identified
        self.identifications = identifications
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.authorizations = authorizations
    }
}
