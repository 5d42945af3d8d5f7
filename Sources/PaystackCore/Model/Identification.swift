/// An entry of `identifications` after a successful identification (contract decision).
public struct Identification: Sendable, Equatable {
    public var country: String
    public var type: String
    /// The masked account number (or BVN, for the legacy `bvn` type).
    public var value: String

    public init(country: String, type: String, value: String) {
        self.country = country
        self.type = type
        self.value = value
    }
}

/// What `POST /customer/{email_or_code}/identification` submitted, validated.
public struct IdentificationSubmission: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case bvn
        case bankAccount = "bank_account"
    }

    public var type: Kind
    /// Two letters, upper case.
    public var country: String
    public var bvn: String
    public var bankCode: String
    public var accountNumber: String
    public var firstName: String
    public var lastName: String
    public var middleName: String?
    public var value: String?

    public init(
        type: Kind, country: String, bvn: String, bankCode: String, accountNumber: String, firstName: String,
        lastName: String, middleName: String? = nil, value: String? = nil
    ) {
        self.type = type
        self.country = country
        self.bvn = bvn
        self.bankCode = bankCode
        self.accountNumber = accountNumber
        self.firstName = firstName
        self.lastName = lastName
        self.middleName = middleName
        self.value = value
    }
}

/// A submission accepted (202) for one customer of one account; its outcome is decided later.
public struct PendingIdentification: Sendable, Equatable {
    public var submission: IdentificationSubmission
    public var customerID: Int
    public var customerCode: String
    public var email: String
    public var integration: Int
    public var domain: Domain

    public init(_ submission: IdentificationSubmission, for customer: Customer) {
        self.submission = submission
        customerID = customer.id
        customerCode = customer.customerCode
        email = customer.email
        integration = customer.integration
        domain = customer.domain
    }
}
