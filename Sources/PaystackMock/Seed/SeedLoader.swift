import EventHTTP

#if canImport(Glibc)
import Glibc
#endif

/// Reads a seed-data folder: `integrations.json` (required), `customers.json` and
/// `authorizations.json` (optional). Any problem stops with a `SeedError` naming the file, the
/// record and the field.
public enum SeedLoader {
    public static let integrationsFile = "integrations.json"
    public static let customersFile = "customers.json"
    public static let authorizationsFile = "authorizations.json"

    public static func load(directory: String) throws(SeedError) -> SeedData {
        let integrationsPath = directory + "/" + integrationsFile
        guard let integrationBytes = readFile(integrationsPath) else {
            throw SeedError("\(integrationsPath): cannot read the file (\(String(cString: strerror(errno))))")
        }
        let customersPath = directory + "/" + customersFile
        let authorizationsPath = directory + "/" + authorizationsFile
        return try decode(
            integrations: (integrationsPath, integrationBytes),
            customers: readFile(customersPath).map { (customersPath, $0) },
            authorizations: readFile(authorizationsPath).map { (authorizationsPath, $0) })
    }

    /// Decodes the three documents; `name` of each is the path used in messages.
    public static func decode(
        integrations: (name: String, bytes: [UInt8]),
        customers: (name: String, bytes: [UInt8])?,
        authorizations: (name: String, bytes: [UInt8])?
    ) throws(SeedError) -> SeedData {
        var decodedIntegrations: [Integration] = []
        try forEachRecord(integrations.name, integrations.bytes) { record throws(SeedError) in
            decodedIntegrations.append(try record.integration(knownIDs: Set(decodedIntegrations.map(\.id))))
        }
        let known = Dictionary(uniqueKeysWithValues: decodedIntegrations.map { ($0.id, $0) })
        try checkKeysDistinct(decodedIntegrations, file: integrations.name)

        var decodedCustomers: [Customer] = []
        var idsGiven: Bool?
        if let customers {
            try forEachRecord(customers.name, customers.bytes) { record throws(SeedError) in
                let customer = try record.customer(integrations: known)
                let hasID = record.object["id"] != nil
                if let idsGiven, idsGiven != hasID {
                    throw record.error(field: "id", "give an id to every customer or to none")
                }
                idsGiven = hasID
                decodedCustomers.append(customer)
            }
        }
        decodedCustomers = try arrange(decodedCustomers, idsGiven: idsGiven ?? false, file: customers?.name ?? "")

        if let authorizations {
            var positionsByCode: [String: [Int]] = [:]
            for (position, customer) in decodedCustomers.enumerated() {
                positionsByCode[customer.customerCode, default: []].append(position)
            }
            var seenCodes = Set<String>()
            try forEachRecord(authorizations.name, authorizations.bytes) { record throws(SeedError) in
                let (customerCode, integration, authorization) = try record.authorization(integrations: known)
                let candidates = (positionsByCode[customerCode] ?? []).filter {
                    integration == nil || decodedCustomers[$0].integration == integration
                }
                guard let position = candidates.first else {
                    throw record.error(field: "customer", "no customer has the code \(customerCode)")
                }
                let owner = decodedCustomers[position]
                let scope = "\(owner.integration)/\(owner.domain.rawValue)/\(authorization.authorizationCode)"
                guard seenCodes.insert(scope).inserted else {
                    throw record.error(field: "authorization_code", "\(authorization.authorizationCode) appears twice")
                }
                decodedCustomers[position].authorizations.append(authorization)
            }
        }
        return SeedData(integrations: decodedIntegrations, customers: decodedCustomers)
    }

    /// Gives ids (in creation order) when the file gave none; checks ids, codes and emails are
    /// unique and that ids follow creation order, which lists rely on.
    private static func arrange(_ customers: [Customer], idsGiven: Bool, file: String) throws(SeedError) -> [Customer] {
        var ordered: [Customer]
        if idsGiven {
            ordered = customers.sorted { $0.id < $1.id }
        } else {
            ordered = customers.enumerated().sorted {
                ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset)
            }.map(\.element)
            for index in ordered.indices { ordered[index].id = index + 1 }
        }
        var lastCreated: [String: Customer] = [:]
        var codes = Set<String>(), emails = Set<String>(), ids = Set<Int>()
        for customer in ordered {
            let label = "\(file): customer \(customer.customerCode)"
            guard ids.insert(customer.id).inserted else { throw SeedError("\(label): field \"id\": \(customer.id) appears twice") }
            guard codes.insert("\(customer.integration)/\(customer.customerCode)").inserted else {
                throw SeedError("\(label): field \"customer_code\": appears twice in integration \(customer.integration)")
            }
            let ledgerKey = "\(customer.integration)/\(customer.domain.rawValue)"
            guard emails.insert(ledgerKey + "/" + customer.email.asciiLowercasedEmail).inserted else {
                throw SeedError("\(label): field \"email\": \(customer.email) appears twice in integration \(customer.integration) (\(customer.domain.rawValue))")
            }
            if let previous = lastCreated[ledgerKey], previous.createdAt > customer.createdAt {
                throw SeedError(
                    "\(label): field \"createdAt\": earlier than that of customer \(previous.customerCode), which has a lower id; ids must follow creation order")
            }
            lastCreated[ledgerKey] = customer
        }
        return ordered
    }

    private static func checkKeysDistinct(_ integrations: [Integration], file: String) throws(SeedError) {
        var seen: [String: Int] = [:]
        for integration in integrations {
            for key in Array(integration.secretKeys.values) + Array(integration.publicKeys.values) {
                if let other = seen[key] {
                    throw SeedError("\(file): integration \(integration.id): a key is also used by integration \(other)")
                }
                seen[key] = integration.id
            }
        }
    }

    private static func forEachRecord(_ file: String, _ bytes: [UInt8], _ body: (SeedRecord) throws(SeedError) -> Void) throws(SeedError) {
        do {
            try JSONParser.parseArray(bytes) { index, value in
                guard case .object(let object) = value else {
                    throw SeedError("\(file): record \(index): must be a JSON object, not \(value.typeName)")
                }
                try body(SeedRecord(file: file, index: index, object: object))
            }
        } catch let error as SeedError {
            throw error
        } catch let error as JSONParseError {
            throw SeedError("\(file): not valid JSON (an array of objects expected): \(error)")
        } catch {
            throw SeedError("\(file): \(error)")
        }
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
            if count < chunk.count { break }
        }
        return ferror(file) == 0 ? bytes : nil
    }
}
