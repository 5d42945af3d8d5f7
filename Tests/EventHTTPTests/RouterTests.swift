import Testing
@testable import EventHTTP

@Suite struct RouterTests {
    private func router() -> Router<String> {
        var router = Router<String>()
        router.add(.GET, "/customer", "list")
        router.add(.POST, "/customer", "create")
        router.add(.GET, "/customer/{code}", "fetch")
        router.add(.PUT, "/customer/{code}", "update")
        router.add(.POST, "/customer/set_risk_action", "risk")
        router.add(.POST, "/customer/{code}/identification", "validate")
        return router
    }

    private func handler(_ match: RouteMatch<String>) -> String? {
        if case .found(let handler, _) = match { return handler }
        return nil
    }

    @Test func trailingSlashIsTheSameRoute() {
        #expect(handler(router().match(.GET, "/customer/")) == "list")
        #expect(handler(router().match(.GET, "/customer")) == "list")
        #expect(handler(router().match(.GET, "/customer/CUS_x/")) == "fetch")
    }

    @Test func capturesNamedSegments() {
        guard case .found(_, let parameters) = router().match(.POST, "/customer/a@b.co/identification") else {
            Issue.record("identification route not matched")
            return
        }
        #expect(parameters["code"] == "a@b.co")
    }

    @Test func literalSegmentWinsOverCapture() {
        #expect(handler(router().match(.POST, "/customer/set_risk_action")) == "risk")
    }

    @Test func literalRouteAnswers405ForItsOtherMethods() {
        guard case .methodNotAllowed(let allowed) = router().match(.GET, "/customer/set_risk_action") else {
            Issue.record("GET /customer/set_risk_action must not reach the {code} route")
            return
        }
        #expect(allowed == [.POST, .OPTIONS])
    }

    @Test func encodedSlashStaysInsideItsSegment() {
        guard case .found(let handler, let parameters) = router().match(.GET, "/customer/a%2Fidentification") else {
            Issue.record("expected the fetch route")
            return
        }
        #expect(handler == "fetch")
        #expect(parameters["code"] == "a/identification")
    }

    @Test func headIsServedByGet() {
        #expect(handler(router().match(.HEAD, "/customer")) == "list")
    }

    @Test func knownPathWithOtherMethodListsAllowedMethods() {
        guard case .methodNotAllowed(let allowed) = router().match(.DELETE, "/customer") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == [.GET, .POST, .HEAD, .OPTIONS])
    }

    @Test func unknownPathIsNotFound() {
        guard case .notFound = router().match(.GET, "/plan") else {
            Issue.record("expected not found")
            return
        }
        guard case .notFound = router().match(.GET, "/customer/a/b/c") else {
            Issue.record("expected not found")
            return
        }
    }
}

@Suite struct MethodAndParameterTests {
    @Test func aMethodsIndexIsItsPlaceInAllCases() {
        #expect(HTTPMethod.allCases.enumerated().allSatisfy { $0.offset == $0.element.index })
    }

    @Test func parametersKeepEveryCaptureInOrder() {
        var parameters = PathParameters()
        #expect(parameters["a"] == nil && parameters.values.isEmpty)
        parameters.append("a", "1")
        parameters.append("b", "2")
        parameters.append("c", "3")
        #expect(parameters["a"] == "1" && parameters["b"] == "2" && parameters["c"] == "3" && parameters["d"] == nil)
        #expect(parameters.values.map(\.name) == ["a", "b", "c"])
        parameters.removeLast()
        parameters.removeLast()
        #expect(parameters.values.map(\.value) == ["1"])
        parameters.removeLast()
        #expect(parameters.values.isEmpty && parameters["a"] == nil)
    }
}

@Suite struct QueryParametersTests {
    @Test func decodesPercentEscapesAndPlus() {
        let query = QueryParameters(parsing: "email=a%40b.co&name=Ada+Lovelace&empty=&flag")
        #expect(query["email"] == "a@b.co")
        #expect(query["name"] == "Ada Lovelace")
        #expect(query["empty"] == "")
        #expect(query["flag"] == "")
    }

    @Test func keepsRepeatedKeysInOrder() {
        let query = QueryParameters(parsing: "a=1&a=2&b=3")
        #expect(query.values("a") == ["1", "2"])
        #expect(query["a"] == "1")
    }

    /// Empty pairs are skipped, the first `=` splits, a pair without one is a key with no value,
    /// and multi-byte text stays whole.
    @Test func splitsOnTheFirstEqualsAndSkipsEmptyPairs() {
        let query = QueryParameters(parsing: "&&a=b=c&&=x&k&%C3%A9t%C3%A9=h%C3%A9+t&ü=ß&")
        #expect(query.pairs.map(\.key) == ["a", "", "k", "été", "ü"])
        #expect(query.pairs.map(\.value) == ["b=c", "x", "", "hé t", "ß"])
        #expect(QueryParameters(parsing: "").pairs.isEmpty)
        #expect(QueryParameters(parsing: "&").pairs.isEmpty)
        #expect(QueryParameters(parsing: "=").pairs.map(\.key) == [""])
        // Split on the bytes `&` and `=`, as HTTP servers do: an `=` followed by a combining mark
        // still separates (the String-based reader saw one Character there, and no separator).
        let combining = QueryParameters(parsing: "a=\u{301}b")
        #expect(combining.pairs.map(\.key) == ["a"] && combining["a"] == "\u{301}b")
    }

    @Test func trimmingSpacesTakesOnlySpacesAtTheEnds() {
        #expect("50".trimmingSpaces == "50")
        #expect("  50 ".trimmingSpaces == "50")
        #expect(" 5 0 ".trimmingSpaces == "5 0")
        #expect("\t50".trimmingSpaces == "\t50")
        #expect("    ".trimmingSpaces == "")
        #expect(" \u{301}5".trimmingSpaces == " \u{301}5", "a space with a combining mark is not a space")
    }

    @Test func malformedEscapeIsKeptAsText() {
        let query = QueryParameters(parsing: "x=%zz")
        #expect(query["x"] == "%zz")
    }

    @Test func percentDecodeRejectsInvalidUTF8() {
        #expect(percentDecode("%ff") == nil)
        #expect(percentDecode("/customer/a%20b") == "/customer/a b")
    }

    /// Fields keep their order and repeats; names match case-insensitively and by their whole
    /// length; `set` replaces every field of the name; values stay byte for byte.
    @Test func headerFieldsKeepOrderAndMatchNamesIgnoringCase() {
        var headers = HTTPHeaders(capacity: 2)
        #expect(headers.isEmpty && headers["Host"] == nil)
        headers.add("Content-Type", "application/json")
        headers.add("X-Note", "é ü \u{301}")
        headers.add("x-note", "second")
        headers.add("", "")
        #expect(headers.count == 4)
        #expect(headers["content-type"] == "application/json")
        #expect(headers["X-NOTE"] == "é ü \u{301}", "the first of repeated fields")
        #expect(headers["X-Not"] == nil && headers["X-Notes"] == nil && headers["Content-Typf"] == nil)
        #expect(headers[""] == "")
        #expect(headers.withValue("CONTENT-TYPE") { $0.count } == 16)
        headers.set("X-Note", "one")
        #expect(headers.map(\.name) == ["Content-Type", "", "X-Note"])
        #expect(headers.map(\.value) == ["application/json", "", "one"])
        headers.remove("content-TYPE")
        headers.remove("Absent")
        #expect(headers.fields.map(\.name) == ["", "X-Note"] && headers.count == 2)
        var names: [String] = []
        headers.forEachCString { name, value in names.append(String(cString: name) + "=" + String(cString: value)) }
        #expect(names == ["=", "X-Note=one"])
        let long = String(repeating: "v", count: 70_000)
        #expect(HTTPHeaders([("A", long), ("B", "b")])["b"] == "b")
        #expect(HTTPHeaders([("A", long)])["a"] == long)
    }

    /// The per-name bits that let a lookup skip reading the fields: every present name is still
    /// found in any case, however many share a bit; absent ones are not; a removal forgets only
    /// what it removed; a request's fields read from libevent (C strings) carry them too.
    @Test func absentNamesAreAnsweredAndPresentOnesFoundAmongManyFields() {
        // Lengths 9–21 and every last letter: most of the 64 bits are set, and many names share one.
        func name(_ number: Int) -> String {
            "X-\(number)-" + String(repeating: "q", count: number % 13) + String(UnicodeScalar(UInt8(97 + number % 26)))
        }
        let present = (0..<150).map(name)
        let absent = (150..<300).map(name)
        var headers = HTTPHeaders()
        for name in present { headers.add(name, "v" + name) }
        #expect(headers.signatures.nonzeroBitCount > 40)
        #expect(present.allSatisfy { headers[$0.uppercased()] == "v" + $0 && headers[$0.lowercased()] == "v" + $0 })
        #expect(absent.allSatisfy { headers[$0] == nil && !headers.contains($0) })
        for name in present.prefix(75) { headers.remove(name) }
        #expect(present.prefix(75).allSatisfy { headers[$0] == nil })
        #expect(present.dropFirst(75).allSatisfy { headers[$0] == "v" + $0 })
        let fields: [(String, String)] = [("Host", "h"), ("Authorization", "Bearer k"), ("Content-Type", "application/json")]
        let read = HTTPHeaders(cFields: { body in
            for (name, value) in fields { name.withCString { n in value.withCString { v in body(n, v) } } }
        })
        #expect(read["authorization"] == "Bearer k" && read["HOST"] == "h" && read["content-type"] == "application/json")
        #expect(read["X-Mock-Delay"] == nil && read["X-Mock-Status"] == nil && read["Origin"] == nil)
    }
}
