package config

// AccessAnalyzer configures IAM Access Analyzer (key accessAnalyzer).
type AccessAnalyzer struct {
	Enabled             bool `json:"enabled"`
	UnusedAccess        bool `json:"unusedAccess"`
	UnusedAccessAgeDays int  `json:"unusedAccessAgeDays"`
}

// validateAccessAnalyzer checks accessAnalyzer.
func (c *Config) validateAccessAnalyzer(p *problems) {
	if a := c.AccessAnalyzer; a.UnusedAccessAgeDays < 1 || a.UnusedAccessAgeDays > 365 {
		p.add("accessAnalyzer.unusedAccessAgeDays", "%d is outside 1 to 365 days", a.UnusedAccessAgeDays)
	}
}
