import EventHTTP
import JSON
import PaystackAPI
import PaystackCore
import Platform

/// Customers seen from the admin side: every integration and its keys, a search across one
/// integration's customers, and saved cards (authorizations) given on demand.
extension SandboxAPI {
    /// `GET /_sandbox/integrations`: each integration with its keys, webhook target and counts.
    func listIntegrations() -> HTTPResponse {
        let integrations = store.integrations
        return success(SandboxMessages.integrations, capacity: 1024 + integrations.count * 512) { writer in
            writer.beginArray()
            for integration in integrations {
                let counts = store.books(of: integration.id)?.counts ?? (test: 0, live: 0)
                var current = integration
                current.webhookURL = webhooks.url(for: integration)
                StateCodec.write(current, &writer) { writer in
                    writer.key("customers")
                    writer.beginObject()
                    writer.key("test"); writer.int(counts.test)
                    writer.key("live"); writer.int(counts.live)
                    writer.endObject()
                }
            }
            writer.endArray()
        }
    }

    /// `GET /_sandbox/customers?integration=&domain=&q=&filter=&page=&perPage=`: one integration's
    /// customers of one domain, newest first; `q` matches email, code or name (case-insensitive),
    /// `filter` is `all`, `whitelisted`, `blacklisted` or `identified`.
    func searchCustomers(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        let query = request.query
        guard let target = query["integration"] else { throw PaystackError.missing("integration") }
        let books = try books(named: .string(target))
        var domain: Domain = store.account(forSecretKey: target)?.domain ?? .test
        if let text = query["domain"] {
            guard let given = Domain(rawValue: text) else { throw PaystackError.invalid(SandboxMessages.domainInvalid) }
            domain = given
        }
        let filter = query["filter"] ?? "all"
        guard ["all", "whitelisted", "blacklisted", "identified"].contains(filter) else {
            throw PaystackError.invalid(SandboxMessages.customerFilterInvalid)
        }
        let perPage = try pageNumber(query, "perPage", default: 20, maximum: 200)
        let page = try pageNumber(query, "page", default: 1, maximum: 1_000_000)
        let needle = (query["q"] ?? "").trimmingSpaces.lowercased()
        var matches: [Customer] = []
        for customer in books.customers(of: domain).reversed() {
            switch filter {
            case "whitelisted" where customer.riskAction != RiskAction.allow: continue
            case "blacklisted" where customer.riskAction != RiskAction.deny: continue
            case "identified" where !customer.identified: continue
            default: break
            }
            if !needle.isEmpty {
                let haystack = [customer.email, customer.customerCode, customer.firstName ?? "", customer.lastName ?? "",
                                "\(customer.firstName ?? "") \(customer.lastName ?? "")"].map { $0.lowercased() }
                guard haystack.contains(where: { $0.contains(needle) }) else { continue }
            }
            matches.append(customer)
        }
        let start = min(matches.count, (page - 1) * perPage)
        let shown = matches[start..<min(matches.count, start + perPage)]
        return success(SandboxMessages.customers, capacity: 1024 + shown.count * 600) { writer in
            writer.beginArray()
            for customer in shown {
                writer.beginObject()
                writer.customerListMembers(customer)
                writer.key("identified"); writer.bool(customer.identified)
                writer.key("authorization_count"); writer.int(customer.authorizations.count)
                writer.endObject()
            }
            writer.endArray()
        } meta: { writer in
            writer.beginObject()
            writer.key("total"); writer.int(matches.count)
            writer.key("page"); writer.int(page)
            writer.key("perPage"); writer.int(perPage)
            writer.key("pageCount"); writer.int(max(1, (matches.count + perPage - 1) / perPage))
            writer.endObject()
        }
    }

    private func pageNumber(_ query: QueryParameters, _ name: String, default value: Int, maximum: Int) throws(PaystackError) -> Int {
        guard let text = query[name] else { return value }
        guard let number = Int(text), (1...maximum).contains(number) else {
            throw PaystackError.invalid(SandboxMessages.wholeNumber(name, maximum: maximum))
        }
        return number
    }

    /// `POST /_sandbox/customers/{customer}/authorizations`: a saved card (or bank mandate) for the
    /// customer, with Paystack's shape; fields in the body, all optional (see `CardRequest`).
    func addAuthorization(_ request: HTTPRequest, _ reference: String) throws(PaystackError) -> HTTPResponse {
        let body = try RequestBody(request)
        let card = try CardRequest(body, year: Int(store.clock.now().iso8601.prefix(4)) ?? 2026)
        let account = try customerAccount(reference, integration: body.fields["integration"], domain: try body.string("domain"))
        let added = try attempt(account.addAuthorization(to: CustomerReference(reference)) { code, customer in
            card.authorization(code: code, for: customer)
        })
        return success(SandboxMessages.authorizationAdded) { $0.authorization(added) }
    }

    /// `DELETE /_sandbox/customers/{customer}/authorizations`: removes every saved card of the customer.
    func removeAuthorizations(_ request: HTTPRequest, _ reference: String) throws(PaystackError) -> HTTPResponse {
        let account = try customerAccount(reference, integration: request.query["integration"].map(JSONValue.string), domain: request.query["domain"])
        let removed = try attempt(account.removeAuthorizations(of: CustomerReference(reference)))
        return success(SandboxMessages.authorizationsRemoved) { writer in
            writer.beginObject()
            writer.key("removed"); writer.int(removed)
            writer.endObject()
        }
    }

    /// The account whose customer `reference` names: within the integration given (a secret key
    /// selects its domain too), else the one integration and domain that has such a customer.
    func customerAccount(_ reference: String, integration: JSONValue?, domain: String?) throws(PaystackError) -> Account {
        var chosenDomain: Domain?
        if let domain {
            guard let given = Domain(rawValue: domain) else { throw PaystackError.invalid(SandboxMessages.domainInvalid) }
            chosenDomain = given
        }
        var candidates: [Account] = []
        if let integration {
            if case .string(let key) = integration, let account = store.account(forSecretKey: key) {
                candidates = [account]
            } else {
                let books = try books(named: integration)
                candidates = Domain.allCases.map { Account(store: store, books: books, domain: $0) }
            }
        } else {
            candidates = store.integrations.compactMap { store.books(of: $0.id) }.flatMap { books in
                Domain.allCases.map { Account(store: store, books: books, domain: $0) }
            }
        }
        if let chosenDomain { candidates = candidates.filter { $0.domain == chosenDomain } }
        let holding = candidates.filter { $0.findCustomer(CustomerReference(reference)) != nil }
        guard let account = holding.first else { throw PaystackError.notFound(Messages.customerNotFound) }
        guard holding.count == 1 else { throw PaystackError.invalid(SandboxMessages.customerAmbiguous) }
        return account
    }
}

/// The body of `POST /_sandbox/customers/{customer}/authorizations`, validated.
struct CardRequest {
    /// Paystack's documented test cards (paystack.com/docs/payments/test-payments): bin and last4.
    static let testCards: [String: (bin: String, last4: String, cardType: String)] = [
        "visa": ("408408", "4081", "visa "),  // 4084 0840 8408 4081, "no validation"
        "verve": ("506066", "6666", "verve "),  // 5060 6666 6666 6666 666, "PIN + OTP"
        "mastercard": ("519260", "4796", "mastercard "),  // 5192 6027 2058 4796, "bank authorization simulation"
    ]

    var brand: String
    var channel: String
    var reusable: Bool
    var expMonth: String
    var expYear: String
    var bank: String?
    var accountName: String?

    init(_ body: RequestBody, year: Int) throws(PaystackError) {
        brand = try body.string("brand") ?? "visa"
        guard Self.testCards[brand] != nil else { throw PaystackError.invalid(SandboxMessages.brandInvalid) }
        channel = try body.string("channel") ?? "card"
        guard channel == "card" || channel == "bank" else { throw PaystackError.invalid(SandboxMessages.channelInvalid) }
        switch body.fields["reusable"] {
        case nil: reusable = true
        case .bool(let value)?: reusable = value
        case .string("true")? where body.isForm: reusable = true
        case .string("false")? where body.isForm: reusable = false
        default: throw PaystackError.invalid(SandboxMessages.reusableMustBeBoolean)
        }
        let month = try Self.number(body, "exp_month", in: 1...12) ?? 12
        expMonth = month < 10 ? "0\(month)" : String(month)
        expYear = String(try Self.number(body, "exp_year", in: 2000...2099) ?? year + 3)
        bank = try body.string("bank")
        switch body.fields["account_name"] {
        case nil, .null?: accountName = nil
        case .string(let name)?: accountName = name
        default: throw PaystackError.invalid(Messages.mustBeString("account_name"))
        }
    }

    /// A whole number, given as a JSON number or as digits.
    private static func number(_ body: RequestBody, _ name: String, in range: ClosedRange<Int>) throws(PaystackError) -> Int? {
        let value: Int?
        switch body.fields[name] {
        case nil: return nil
        case .number(let text)?: value = Int(text)
        case .string(let text)?: value = Int(text)
        default: value = nil
        }
        guard let value, range.contains(value) else {
            throw PaystackError.invalid(SandboxMessages.wholeNumber(name, minimum: range.lowerBound, maximum: range.upperBound))
        }
        return value
    }

    func authorization(code: String, for customer: Customer) -> Authorization {
        guard channel == "card" else {
            // A direct-debit mandate: no card fields (null), the bank and the account holder's name.
            let holder = [customer.firstName, customer.lastName].compactMap { $0 }.joined(separator: " ")
            return Authorization(
                authorizationCode: code, bin: nil, last4: nil, expMonth: nil, expYear: nil, channel: "bank", cardType: nil,
                bank: bank ?? "Guaranty Trust Bank", brand: nil, reusable: reusable, signature: nil,
                accountName: accountName ?? (holder.isEmpty ? customer.email : holder))
        }
        let card = Self.testCards[brand]!
        return Authorization(
            authorizationCode: code, bin: card.bin, last4: card.last4, expMonth: expMonth, expYear: expYear, channel: "card",
            cardType: card.cardType, bank: bank ?? "TEST BANK", brand: brand, reusable: reusable,
            signature: Self.signature(customer: customer.customerCode, brand: brand, bin: card.bin, last4: card.last4, month: expMonth, year: expYear),
            accountName: accountName)
    }

    /// `SIG_` + 20 alphanumerics, the same for the same card of the same customer (Paystack's
    /// signatures identify a card): FNV-1a over the details, two rounds of ten base-62 digits.
    static func signature(customer: String, brand: String, bin: String, last4: String, month: String, year: String) -> String {
        let details = Array("\(customer)|\(brand)|\(bin)|\(last4)|\(month)|\(year)".utf8)
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        var result = Array("SIG_".utf8)
        for round in 0..<2 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(round)
            for byte in details {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            for _ in 0..<10 {
                result.append(alphabet[Int(hash % 62)])
                hash /= 62
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
