/// A saved card or bank mandate of a customer. On Paystack they come from charges; here from seed
/// data and `POST /_sandbox/customers/{customer}/authorizations`.
public struct Authorization: Sendable, Equatable {
    /// `AUTH_` + 10 of `[a-z0-9]`.
    public var authorizationCode: String
    /// Card fields are strings on cards; a bank mandate has none of them (null).
    public var bin: String?
    public var last4: String?
    public var expMonth: String?
    public var expYear: String?
    /// `card`, or `bank` for a direct-debit mandate.
    public var channel: String
    /// Paystack's own values carry a trailing space, e.g. `"visa "`.
    public var cardType: String?
    public var bank: String
    public var countryCode: String
    public var brand: String?
    public var reusable: Bool
    /// `SIG_` + 20 alphanumerics: the same card of the same customer has the same one.
    public var signature: String?
    public var accountName: String?

    public init(
        authorizationCode: String, bin: String?, last4: String?, expMonth: String?, expYear: String?,
        channel: String = "card", cardType: String?, bank: String, countryCode: String = "NG", brand: String?,
        reusable: Bool = true, signature: String?, accountName: String? = nil
    ) {
        self.authorizationCode = authorizationCode
        self.bin = bin
        self.last4 = last4
        self.expMonth = expMonth
        self.expYear = expYear
        self.channel = channel
        self.cardType = cardType
        self.bank = bank
        self.countryCode = countryCode
        self.brand = brand
        self.reusable = reusable
        self.signature = signature
        self.accountName = accountName
    }
}
