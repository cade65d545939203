package config

// Inspector configures Amazon Inspector across the organization (key inspector).
type Inspector struct {
	Enabled    bool `json:"enabled"`
	EC2        bool `json:"ec2"`
	ECR        bool `json:"ecr"`
	Lambda     bool `json:"lambda"`
	LambdaCode bool `json:"lambdaCode"`
}

// validateInspector checks inspector.
func (c *Config) validateInspector(p *problems) {
	i := c.Inspector
	if i.Enabled && !i.EC2 && !i.ECR && !i.Lambda && !i.LambdaCode {
		p.add("inspector", "enabled with no scan type; switch on at least one of ec2, ecr, lambda, lambdaCode")
	}
	if i.LambdaCode && !i.Lambda {
		p.add("inspector.lambdaCode", "Lambda code scanning needs Lambda standard scanning; set lambda: true")
	}
}
