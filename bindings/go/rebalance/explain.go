package rebalance

import (
	"encoding/json"
	"fmt"
)

// Explanation is what Envoy does with each route rule, Envoy Gateway as it
// is ("upstream") next to the Translator's options ("selected"): the data
// document of `rebalance explain -o json` (docs/explain.md). Shares are
// percentages of the rule's requests with at most two decimals. An
// Explanation is immutable once returned.
type Explanation struct {
	Mode   string   `json:"mode"` // the selected side's mode: "rebalance" or "envoy-gateway"
	WhatIf []WhatIf `json:"whatIf"`
	// EnvoyVersion: the Envoy whose load balancer the shares model (">=1.30").
	EnvoyVersion string `json:"envoyVersion"`
	// EnvoyGatewayVersion: the Envoy Gateway releases that ship such an Envoy (">=1.1").
	EnvoyGatewayVersion string          `json:"envoyGatewayVersion"`
	Rules               []ExplainedRule `json:"rules"`

	raw []byte
}

// WhatIf is one change made before translating: a Service scaled to zero
// ("NAMESPACE/NAME") or given N ready endpoints ("NAMESPACE/NAME=N"), or a
// backendRef given a weight ("NAMESPACE/ROUTE:RULE:REF=weight:W") or served
// through a fallback Backend at its Service's clusterIP
// ("NAMESPACE/ROUTE:RULE:REF=fallback").
type WhatIf struct {
	Service        string `json:"service,omitempty"`    // the Service target, as given
	BackendRef     string `json:"backendRef,omitempty"` // the backendRef target, as given
	Found          bool   `json:"found"`                // false: no such Service (backendRef) in the input
	EndpointSlices int    `json:"endpointSlices"`       // slices it owned, now changed
}

// ExplainedRule is one destination of the selected side, paired with the
// upstream destination of the same name and Gateway.
type ExplainedRule struct {
	Name    string   `json:"name"`
	Route   RouteRef `json:"route"`
	Gateway string   `json:"gateway"` // "NAMESPACE/NAME"
	// Listeners: the sectionNames of the parentRefs to the Gateway ("http, https"),
	// "port N", or "all"; Caveat: what the model does not cover on this rule.
	Listeners   string         `json:"listeners,omitempty"`
	Caveat      string         `json:"caveat,omitempty"`
	BackendRefs []ExplainedRef `json:"backendRefs"`
	Upstream    RuleView       `json:"upstream"`
	Selected    RuleView       `json:"selected"`
	// Advice: the remedies for stock Envoy Gateway, each computed by translating
	// again with it applied (docs/explain.md, "Advice"); none when not needed.
	Advice []Advice `json:"advice,omitempty"`
}

// Advice is one remedy for a rule that stock Envoy Gateway answers 503 for
// backendRefs without endpoints: Kind "weight0" (weight: 0 on them) or
// "fallback" (each served through a Backend with fallback: true at its
// Service's clusterIP; Backends lists what to write).
type Advice struct {
	Kind        string          `json:"kind"`
	BackendRefs []int           `json:"backendRefs"` // the indices of the refs it changes
	Backends    []AdviceBackend `json:"backends,omitempty"`
	Upstream    Shares          `json:"upstream"` // what stock Envoy Gateway then does
}

// AdviceBackend is a Backend the fallback remedy has the operator write.
type AdviceBackend struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Address   string `json:"address"` // the Service's clusterIP
	Port      uint32 `json:"port"`
}

// ExplainedRef is one backendRef of a rule, in spec order.
type ExplainedRef struct {
	Name     string     `json:"name"` // the setting name ".../rule/0/backend/1"
	Backend  BackendRef `json:"backend"`
	Weight   uint32     `json:"weight"`             // the spec weight (1 when absent)
	Priority uint32     `json:"priority,omitempty"` // 1 for a fallback Backend
	// SharedCluster: Name is the Gateway's shared cluster (EnvoyProxy mergeBackends).
	SharedCluster bool           `json:"sharedCluster,omitempty"`
	Endpoints     EndpointCounts `json:"endpoints"`
	Reason        string         `json:"reason,omitempty"`  // why the ref failed, e.g. "BackendNotFound"
	Message       string         `json:"message,omitempty"` // the error text of that failure
	Upstream      RefView        `json:"upstream"`
	Selected      RefView        `json:"selected"`
}

// BackendRef is the object a backendRef names, defaults applied.
type BackendRef struct {
	Group     string `json:"group,omitempty"` // "" for the core group
	Kind      string `json:"kind"`            // "Service" by default
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Port      uint32 `json:"port,omitempty"`
}

// EndpointCounts are the endpoints of a ref's setting (selected side).
type EndpointCounts struct {
	Total    int `json:"total"`
	Draining int `json:"draining"`
}

// RefView is what became of a backendRef on one side.
type RefView struct {
	// State: serving, standby, draining, panic, noEndpoints, invalid,
	// excluded, excludedNotReady, zeroWeight, dropped or unrouted.
	State string  `json:"state"`
	Share float64 `json:"share"` // percent of the rule's requests it serves
	// The percent answered 500 / 503 (or reset) because of this ref: its
	// weight answered with the not-found code, or no host left in its cluster.
	Answered500 float64 `json:"answered500,omitempty"`
	Answered503 float64 `json:"answered503,omitempty"`
	Reset       float64 `json:"reset,omitempty"`
}

// RuleView is what Envoy gets for a rule on one side.
type RuleView struct {
	Routing    string `json:"routing"`              // none, directResponse, cluster, weightedClusters, l4Cluster
	Why        string `json:"why,omitempty"`        // why weighted clusters ("no-endpoint weight"), or what decided a direct response
	StatusCode uint32 `json:"statusCode,omitempty"` // the direct response, or the cluster-not-found code
	// The two knobs (HTTP and gRPC rules on a side that has the rule).
	RebalanceOnNoEndpoints      *Knob  `json:"rebalanceOnNoEndpoints,omitempty"`
	RebalanceOnNoReadyEndpoints *Knob  `json:"rebalanceOnNoReadyEndpoints,omitempty"`
	Shares                      Shares `json:"shares"`
}

// Knob is one rebalance knob of a rule and the policy that decided it.
type Knob struct {
	Value  bool   `json:"value"`
	Policy string `json:"policy,omitempty"` // "NAMESPACE/NAME" of the deciding BackendTrafficPolicy
	Scope  string `json:"scope,omitempty"`  // its scope: rule, route, listener, gateway
}

// Shares are the percentages of a rule's requests per outcome; they add up to 100.
type Shares struct {
	Served      float64 `json:"served"`
	Answered500 float64 `json:"answered500"`
	Answered503 float64 `json:"answered503"`
	Reset       float64 `json:"reset"` // TCP/UDP/TLS: no host, the connection is reset
	// AnsweredOther: answered with a status of the rule's own (a filter's direct
	// response, e.g. 404); present only when non-zero.
	AnsweredOther float64 `json:"answeredOther,omitempty"`
}

func decodeExplanation(raw []byte) (*Explanation, error) {
	x := &Explanation{raw: raw}
	if err := json.Unmarshal(raw, x); err != nil {
		return nil, fmt.Errorf("rebalance: decoding the library's JSON: %w", err)
	}
	return x, nil
}

// JSON returns a copy of the library's JSON document, byte for byte what
// `rebalance explain -o json` prints.
func (x *Explanation) JSON() []byte { return append([]byte(nil), x.raw...) }

// Decode decodes the whole document into v (a struct of your own, or a
// map[string]interface{}), e.g. to read keys this binding does not type.
func (x *Explanation) Decode(v interface{}) error { return json.Unmarshal(x.raw, v) }
