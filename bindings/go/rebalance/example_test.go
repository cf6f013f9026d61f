package rebalance_test

import (
	"errors"
	"fmt"
	"log"
	"os"

	rebalance "rebalance.dev/bindings/go/rebalance"
)

func ExampleTranslator_TranslateFiles() {
	t, err := rebalance.New(rebalance.Options{}) // rebalance mode; ModeCompatEnvoyGateway for upstream's rules
	if err != nil {
		log.Fatal(err)
	}
	defer t.Close()
	res, err := t.TranslateFiles("../../../examples/failover/manifests.yaml", "../../../examples/failover/endpoints-empty.yaml")
	if err != nil {
		log.Fatal(err) // an ErrorList: FILE:LINE:COL: PATH: message
	}
	for _, d := range res.Destinations {
		for _, s := range d.Settings {
			fmt.Println(s.Name, "weight", s.Weight, "priority", s.Priority)
		}
		for _, x := range d.Excluded {
			fmt.Println(x.Name, "excluded:", x.Reason)
		}
	}
	// Output:
	// httproute/default/failover/rule/0/backend/1 weight 1 priority 1
	// httproute/default/failover/rule/0/backend/0 excluded: NoReadyEndpoints
}

func ExampleError() {
	t, err := rebalance.New(rebalance.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer t.Close()
	_, err = t.TranslateInputs(rebalance.Input{Name: "routes.yaml", Data: []byte("kind: Service\napiVersion: v1\nspec: {ports: 80}\n")})
	var e *rebalance.Error
	if errors.As(err, &e) && errors.Is(err, rebalance.ErrParse) {
		fmt.Println(e.File, e.Line, e.Column, e.Path)
		fmt.Println(err)
	}
	// Output:
	// routes.yaml 3 15 /spec/ports
	// routes.yaml:3:15: /spec/ports: expected a sequence, got an integer "80"
}

func ExampleTranslator_Explain() {
	t, err := rebalance.New(rebalance.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer t.Close()
	manifests := rebalance.File{Path: "../../../examples/failover/manifests.yaml"}
	endpoints := rebalance.File{Path: "../../../examples/failover/endpoints-ready.yaml"}
	// What if the active Service were scaled to zero?
	ex, err := t.Explain([]rebalance.Source{manifests, endpoints}, "default/active")
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range ex.Rules {
		for _, ref := range r.BackendRefs {
			fmt.Printf("%s %s: envoy-gateway %s %v%%, rebalance %s %v%%\n", ref.Backend.Kind, ref.Backend.Name,
				ref.Upstream.State, ref.Upstream.Share, ref.Selected.State, ref.Selected.Share)
		}
		fmt.Printf("answered 503: envoy-gateway %v%%, rebalance %v%%\n", r.Upstream.Shares.Answered503, r.Selected.Shares.Answered503)
	}
	// Output:
	// Service active: envoy-gateway noEndpoints 0%, rebalance excluded 0%
	// Backend passive: envoy-gateway serving 50%, rebalance serving 100%
	// answered 503: envoy-gateway 50%, rebalance 0%
}

func ExampleEngine() {
	manifests, err := os.ReadFile("../../../examples/failover/manifests.yaml")
	if err != nil {
		log.Fatal(err)
	}
	ready, err := os.ReadFile("../../../examples/failover/endpoints-ready.yaml")
	if err != nil {
		log.Fatal(err)
	}
	e, err := rebalance.NewEngine(rebalance.Options{}, rebalance.Input{Data: manifests}, rebalance.Input{Data: ready})
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()
	if _, err := e.Translate(); err != nil { // everything, the first time
		log.Fatal(err)
	}
	// The EndpointSlice of the active Service, scaled to zero.
	empty, err := os.ReadFile("../../../examples/failover/endpoints-empty.yaml")
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Apply(empty); err != nil {
		log.Fatal(err) // an ErrorList, as for a Translator; the engine is unchanged
	}
	res, err := e.Translate() // only the routes that looked the slice up
	if err != nil {
		log.Fatal(err)
	}
	s := e.Stats()
	fmt.Println(res.Destinations[0].Excluded[0].Reason, s.RoutesTranslated, "of", s.Routes, "routes translated again")
	// Output:
	// NoReadyEndpoints 1 of 1 routes translated again
}
