package rebalance

import (
	"encoding/json"
	"fmt"
)

// Result is one translation, decoded from the library's JSON (docs/ir.md;
// the field names are Envoy Gateway's DestinationSetting names). Optional
// fields the library omits are zero here, and re-encoding a Result with
// encoding/json gives the same document. A Result is immutable once
// returned and may be shared between goroutines.
//
// The document may carry sections this version of the binding does not know
// (later views of the library): Section and Decode reach them.
type Result struct {
	Destinations  []Destination `json:"destinations"`
	RouteStatuses []RouteStatus `json:"routeStatuses"`

	raw []byte
}

// Destination is one route rule for one parent Gateway (the same rule has a
// Destination per Gateway; Key tells them apart).
type Destination struct {
	Name           string          `json:"name"` // "httproute/default/web/rule/0"
	Route          RouteRef        `json:"route"`
	Gateway        GatewayRef      `json:"gateway"`
	Listeners      []ListenerRef   `json:"listeners,omitempty"`
	Key            string          `json:"key"`                // unique in the Result: "infra/eg/httproute/default/web/rule/0"
	Knobs          *Knobs          `json:"knobs,omitempty"`    // HTTP and GRPC rules: how each rebalance knob was decided
	Settings       []Setting       `json:"settings,omitempty"` // none when DirectResponse is set
	Excluded       []Excluded      `json:"excluded,omitempty"` // rebalance mode only
	BackendWeights BackendWeights  `json:"backendWeights"`
	DirectResponse *DirectResponse `json:"directResponse,omitempty"`
}

// GatewayRef names the Gateway a destination is programmed on.
type GatewayRef struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

// ListenerRef is a listener that programs a destination: the Gateway's own,
// or one of a ListenerSet ("namespace/name") attached to it.
type ListenerRef struct {
	Name        string `json:"name"`
	Port        uint32 `json:"port"`
	ListenerSet string `json:"listenerSet,omitempty"`
}

// Knobs are a rule's two rebalance knobs, as explain shows them.
type Knobs struct {
	RebalanceOnNoEndpoints      Knob `json:"rebalanceOnNoEndpoints"`
	RebalanceOnNoReadyEndpoints Knob `json:"rebalanceOnNoReadyEndpoints"`
}

// RouteRef names the route and rule of a destination.
type RouteRef struct {
	Kind      string `json:"kind"` // HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Rule      int    `json:"rule"`               // -1 for TCP, UDP and TLS routes (rules pooled)
	RuleName  string `json:"ruleName,omitempty"` // explain: the rule's name, when it has one
}

// Setting is one weighted backend of a destination (Envoy Gateway's DestinationSetting).
type Setting struct {
	Name               string       `json:"name"` // ".../rule/0/backend/1"
	Weight             uint32       `json:"weight"`
	Priority           uint32       `json:"priority,omitempty"` // 1 for a fallback Backend
	Protocol           string       `json:"protocol,omitempty"` // HTTP, HTTP2, GRPC, TCP, UDP
	ForceHTTP1Upstream bool         `json:"forceHTTP1Upstream,omitempty"`
	AddressType        string       `json:"addressType,omitempty"` // IP, FQDN, Mixed
	IPFamily           string       `json:"ipFamily,omitempty"`
	Endpoints          []Endpoint   `json:"endpoints,omitempty"`
	PreferLocal        *PreferLocal `json:"preferLocal,omitempty"`
	Metadata           *Metadata    `json:"metadata,omitempty"`
	Invalid            bool         `json:"invalid,omitempty"` // answered 500
	IsDynamicResolver  bool         `json:"isDynamicResolver,omitempty"`
	IsCustomBackend    bool         `json:"isCustomBackend,omitempty"`
	// SharedCluster: a backendRef merged into the Gateway's shared cluster
	// (EnvoyProxy mergeBackends); Name is the cluster's.
	SharedCluster bool `json:"sharedCluster,omitempty"`
}

// Endpoint is one address of a setting.
type Endpoint struct {
	Host     string `json:"host"` // always written, "" included (a Service with no clusterIP)
	Port     uint32 `json:"port"` // always written
	Zone     string `json:"zone,omitempty"`
	Draining bool   `json:"draining,omitempty"`
	Hostname string `json:"hostname,omitempty"`
	Path     string `json:"path,omitempty"` // unix socket
}

// PreferLocal is a setting's zone-aware routing.
type PreferLocal struct {
	MinEndpointsThreshold uint64           `json:"minEndpointsThreshold"`
	Force                 PreferLocalForce `json:"force"`
}

// PreferLocalForce is PreferLocal's force block.
type PreferLocalForce struct {
	MinEndpointsInZoneThreshold uint64 `json:"minEndpointsInZoneThreshold"`
}

// Metadata names the backend object of a setting.
type Metadata struct {
	Kind        string       `json:"kind,omitempty"`
	Name        string       `json:"name,omitempty"`
	Namespace   string       `json:"namespace,omitempty"`
	Annotations []Annotation `json:"annotations,omitempty"`
	SectionName string       `json:"sectionName,omitempty"`
}

// Annotation is one key/value of Metadata.
type Annotation struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Excluded is a backendRef taken out of a destination (rebalance mode), its
// weight given to the peers.
type Excluded struct {
	Name   string `json:"name"`
	Weight uint32 `json:"weight"`
	Reason string `json:"reason"` // NoReadyEndpoints or AllEndpointsDraining
}

// BackendWeights are the sums of the weights per bucket ([bucket.classify] in docs/semantics/weights.md).
type BackendWeights struct {
	Valid       uint32 `json:"valid"`
	Invalid     uint32 `json:"invalid"`
	NoEndpoints uint32 `json:"noEndpoints"`
}

// DirectResponse is the status code a rule answers when it routes nowhere.
type DirectResponse struct {
	StatusCode uint32 `json:"statusCode"` // 500 or 503
}

// RouteStatus holds the conditions of one route for one parentRef.
type RouteStatus struct {
	Kind       string      `json:"kind"`
	Namespace  string      `json:"namespace"`
	Name       string      `json:"name"`
	ParentRef  ParentRef   `json:"parentRef"`
	Conditions []Condition `json:"conditions"`
}

// ParentRef is the parentRef as written in the route; absent fields are nil
// (as in Gateway API's ParentReference).
type ParentRef struct {
	Group       *string `json:"group,omitempty"`
	Kind        *string `json:"kind,omitempty"`
	Namespace   *string `json:"namespace,omitempty"`
	Name        string  `json:"name,omitempty"`
	SectionName *string `json:"sectionName,omitempty"`
	Port        *uint32 `json:"port,omitempty"`
}

// Condition is one route status condition.
type Condition struct {
	Type    string `json:"type"`   // Accepted, ResolvedRefs, BackendsAvailable...
	Status  string `json:"status"` // "True" or "False"
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

func decodeResult(raw []byte) (*Result, error) {
	r := &Result{raw: raw}
	if err := json.Unmarshal(raw, r); err != nil {
		return nil, fmt.Errorf("rebalance: decoding the library's JSON: %w", err)
	}
	return r, nil
}

// JSON returns a copy of the library's JSON document, byte for byte what
// `rebalance translate -o json` prints.
func (r *Result) JSON() []byte { return append([]byte(nil), r.raw...) }

// Decode decodes the whole document into v (a struct of your own, or a
// map[string]interface{}), e.g. to read sections this binding does not type.
func (r *Result) Decode(v interface{}) error { return json.Unmarshal(r.raw, v) }

// Section returns the raw JSON of a top-level key of the document, or nil
// when absent.
func (r *Result) Section(key string) json.RawMessage {
	var top map[string]json.RawMessage
	if json.Unmarshal(r.raw, &top) != nil {
		return nil
	}
	return top[key]
}
