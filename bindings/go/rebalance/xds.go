package rebalance

import (
	"encoding/json"
	"fmt"
)

// Xds is what the data plane gets, per destination (include/rebalance/xds.h,
// docs/explain.md): the route action and the clusters Envoy Gateway derives
// from each rule. The Envoy messages are kept as their proto3 JSON (field
// names and default omission as protojson prints them), ready for
// protojson.Unmarshal into go-control-plane types, or json.Unmarshal into
// your own. An Xds is immutable once returned.
type Xds struct {
	Rules []XdsRule `json:"rules"`

	raw []byte
}

// XdsRule is one destination. Exactly one of Route, DirectResponse,
// TCPProxy and UDPProxy is set.
type XdsRule struct {
	Name    string `json:"name"`    // the destination, e.g. "httproute/default/web/rule/0" (not Envoy)
	Gateway string `json:"gateway"` // its parent Gateway, "NAMESPACE/NAME" (not Envoy)
	// Route is an envoy.config.route.v3.RouteAction: {"cluster": ...} or
	// {"weightedClusters": {"clusters": [...]}, "clusterNotFoundResponseCode": ...}.
	Route json.RawMessage `json:"route,omitempty"`
	// DirectResponse is an envoy.config.route.v3.DirectResponseAction ({"status": 503}).
	DirectResponse json.RawMessage `json:"directResponse,omitempty"`
	// TCPProxy (TCPRoute, TLSRoute) and UDPProxy (UDPRoute): {"cluster": ...}.
	TCPProxy json.RawMessage `json:"tcpProxy,omitempty"`
	UDPProxy json.RawMessage `json:"udpProxy,omitempty"`
	// Clusters are envoy.config.cluster.v3.Cluster messages, load assignment
	// inline; none with DirectResponse.
	Clusters []json.RawMessage `json:"clusters,omitempty"`
}

func decodeXds(raw []byte) (*Xds, error) {
	x := &Xds{raw: raw}
	if err := json.Unmarshal(raw, x); err != nil {
		return nil, fmt.Errorf("rebalance: decoding the library's JSON: %w", err)
	}
	return x, nil
}

// JSON returns a copy of the library's JSON document, byte for byte what
// `rebalance xds -o json` prints.
func (x *Xds) JSON() []byte { return append([]byte(nil), x.raw...) }

// Decode decodes the whole document into v (a struct of your own, or a
// map[string]interface{}).
func (x *Xds) Decode(v interface{}) error { return json.Unmarshal(x.raw, v) }
