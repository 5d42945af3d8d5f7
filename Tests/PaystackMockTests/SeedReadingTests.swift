import EventHTTP
import Foundation
import JSON
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
import Testing
@testable import Webhooks

/// Large customer files are read by two threads; the outcome must be that of one reading from the start.
@Suite struct SeedReadingTests {
    static let integrations = [Fixtures.acme.id: Fixtures.acme]

    /// A customers.json of `count` records; `record` may replace any record's JSON text.
    static func customersFile(count: Int, record: (Int) -> String? = { _ in nil }) throws -> MappedFile {
        var lines: [String] = []
        for index in 0..<count {
            lines.append(record(index) ?? """
                {"integration":\(Fixtures.acme.id),"customer_code":"\(Fixtures.code(index))","email":"c\(index)@example.com",\
                "metadata":{"note":"x},{y \(index)"},"createdAt":"2024-01-01T10:00:00.000Z"}
                """)
        }
        let folder = TemporaryFolder("seed-reading")
        let path = folder.file("customers.json")
        try ("[\n  " + lines.joined(separator: ",\n  ") + "\n]\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try MappedFile(path: path)
    }

    static func readSequentially(_ file: MappedFile) throws(SeedError) -> [Customer] {
        var collector = CustomerCollector(file: "customers.json", integrations: integrations)
        try SeedLoader.forEachRecord("customers.json", .file(file)) { record throws(SeedError) in try collector.take(record) }
        return collector.customers
    }

    static func readInTwo(_ file: MappedFile, expectingSplit: Bool? = nil) throws(SeedError) -> [Customer] {
        var collector = CustomerCollector(file: "customers.json", integrations: integrations)
        let split = try collector.readInTwo(file)
        if let expectingSplit {
            #expect(split == expectingSplit, expectingSplit ? "the second thread's half should be taken" : "the guess must be refused")
        }
        return collector.customers
    }

    @Test func twoThreadsReadWhatOneReads() throws {
        let file = try Self.customersFile(count: 3_000)
        #expect(CustomerCollector.likelyElementStart(in: file.bytes, from: file.bytes.count / 2) != nil)
        let inTwo = try Self.readInTwo(file, expectingSplit: true)
        #expect(inTwo.count == 3_000)
        #expect(inTwo.map(\.customerCode) == (0..<3_000).map(Fixtures.code))
        #expect(inTwo == (try Self.readSequentially(file)))
    }

    /// Strings full of `},{` put the guessed boundary inside a string: the guess must be refused.
    @Test func aGuessInsideAStringIsRefused() throws {
        let trap = String(repeating: "},{", count: 400)
        let file = try Self.customersFile(count: 600) { index in
            """
            {"integration":\(Fixtures.acme.id),"customer_code":"\(Fixtures.code(index))","email":"c\(index)@example.com",\
            "first_name":"\(trap)","createdAt":"2024-01-01T10:00:00.000Z"}
            """
        }
        let guess = try #require(CustomerCollector.likelyElementStart(in: file.bytes, from: file.bytes.count / 2))
        #expect(file.bytes[guess - 1] != UInt8(ascii: " "), "this guess sits inside a first_name")
        let inTwo = try Self.readInTwo(file, expectingSplit: false)
        #expect(inTwo.map(\.customerCode) == (0..<600).map(Fixtures.code))
        #expect(inTwo.allSatisfy { $0.firstName == trap })
    }

    @Test(arguments: [100, 2_400])
    func theFirstErrorInFileOrderIsReported(badRecord: Int) throws {
        let file = try Self.customersFile(count: 3_000) { index in
            index == badRecord || index == 2_900
                ? #"{"integration":463433,"customer_code":"CUS_bad000000000000","email":"not-an-email","createdAt":"2024-01-01T10:00:00.000Z"}"#
                : nil
        }
        #expect {
            _ = try Self.readInTwo(file)
        } throws: { error in
            "\(error)".contains("record \(badRecord) (CUS_bad000000000000): field \"email\"")
        }
    }

    @Test func idsGivenInOneHalfOnlyAreRefusedAtTheFirstRecordWithout() throws {
        let file = try Self.customersFile(count: 3_000) { index in
            index < 1_000
                ? """
                  {"id":\(index + 1),"integration":\(Fixtures.acme.id),"customer_code":"\(Fixtures.code(index))",\
                  "email":"c\(index)@example.com","createdAt":"2024-01-01T10:00:00.000Z"}
                  """
                : nil
        }
        #expect {
            _ = try Self.readInTwo(file)
        } throws: { error in
            "\(error)".contains("record 1000 (\(Fixtures.code(1_000))): field \"id\": give an id to every customer or to none")
        }
    }

    @Test func aSyntaxErrorInTheSecondHalfNamesItsByte() throws {
        let file = try Self.customersFile(count: 3_000) { index in
            index == 2_500 ? #"{"integration":463433,"email":"x@example.com",}"# : nil
        }
        let sequential = #expect(throws: SeedError.self) { try Self.readSequentially(file) }
        let inTwo = #expect(throws: SeedError.self) { try Self.readInTwo(file) }
        #expect(inTwo.map { "\($0)" } == sequential.map { "\($0)" })
    }

    @Test func aFolderWithoutOptionalFilesLoadsAndAnUnreadableOneStopsStartUp() throws {
        let temporary = TemporaryFolder("seed-folder")
        let folder = temporary.path
        try #"[{"id": 1, "secret_keys": {"test": "sk_test_x1"}}]"#.write(toFile: folder + "/integrations.json", atomically: true, encoding: .utf8)
        #expect(try SeedLoader.load(directory: folder).customerCount == 0, "customers.json and authorizations.json are optional")

        try FileManager.default.createDirectory(atPath: folder + "/customers.json", withIntermediateDirectories: false)
        #expect {
            _ = try SeedLoader.load(directory: folder)
        } throws: { error in
            "\(error)".contains("customers.json: cannot read the file")
        }
    }
}
