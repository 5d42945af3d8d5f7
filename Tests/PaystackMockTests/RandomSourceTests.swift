import EventHTTP
import JSON
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
import Testing
@testable import Webhooks

@Suite struct RandomSourceTests {
    @Test func stringsHaveThePrefixTheLengthAndOnlyAlphabetSymbols() {
        let random = RandomSource(seed: 1)
        for _ in 0..<1_000 {
            let code = random.string(prefix: "CUS_", count: 15, from: "abcdefghijklmnopqrstuvwxyz0123456789")
            #expect(isValidCustomerCode(code), "\(code)")
        }
        #expect(random.string(count: 0, from: "ab") == "")
    }

    /// Every symbol at every position turns up about equally often (a loose chi-square bound).
    @Test func symbolsAreSpreadEvenlyAtEveryPosition() {
        let random = RandomSource(seed: 99)
        let alphabet: StaticString = "abcdefghijklmnopqrstuvwxyz0123456789"
        let draws = 36_000
        var counts = Array(repeating: Array(repeating: 0, count: 36), count: 15)
        let symbols = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        for _ in 0..<draws {
            for (position, byte) in random.string(count: 15, from: alphabet).utf8.enumerated() {
                counts[position][symbols.firstIndex(of: byte)!] += 1
            }
        }
        let expected = Double(draws) / 36
        for (position, row) in counts.enumerated() {
            let chiSquare = row.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
            // 35 degrees of freedom: 80 is far beyond the 0.9999 quantile (~72).
            #expect(chiSquare < 80, "position \(position): chi-square \(chiSquare)")
        }
    }

    @Test func aSeedRepeatsItsSequence() {
        let first = RandomSource(seed: 5), second = RandomSource(seed: 5)
        #expect((0..<10).map { _ in first.string(count: 15, from: "ab") } == (0..<10).map { _ in second.string(count: 15, from: "ab") })
    }
}
