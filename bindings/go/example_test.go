package rebalance_test

import (
	"errors"
	"fmt"
	"log"

	rebalance "rebalance/bindings/go"
)

func ExampleTranslator_TranslateFiles() {
	t, err := rebalance.New(rebalance.Options{}) // rebalance mode; ModeCompatEnvoyGateway for upstream's rules
	if err != nil {
		log.Fatal(err)
	}
	defer t.Close()
	res, err := t.TranslateFiles("../../examples/failover/manifests.yaml", "../../examples/failover/endpoints-empty.yaml")
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
