// Reading rules files needs Yams; see RulesFile+YAML.swift.
#if canImport(Yams)
extension RuleSet {
    /// The rules a scan uses: the built-in ones (unless `includeDefault` is false) followed by
    /// those of each file, checked together (ids must be unique across them).
    public static func load(files: [String], includeDefault: Bool = true) throws(SensorError) -> RuleSet {
        var set = RuleSet(rules: [])
        if includeDefault { set.rules += try RulesFile.parseDefault().rules }
        for path in files { set.rules += try RulesFile.load(path: path).rules }
        try set.validate()
        return set
    }
}
#endif
