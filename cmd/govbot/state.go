package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/govbot/govbot/store"
	"github.com/govbot/govbot/store/postgres"
)

// storeEnv names the state store when --store is not given.
const storeEnv = "GOVBOT_STORE"

// storeUsage is the help of the --store flag.
const storeUsage = "where subscriptions, the announcement outbox and the update journal are kept: a postgres:// URL, shared by several replicas (default $" + storeEnv + ", else the file DATA/state.db)"

// storeFlag registers --store on fs.
func storeFlag(fs *flag.FlagSet) *string {
	return fs.String("store", "", storeUsage)
}

// openState opens the state store named by --store (flagValue), else
// $GOVBOT_STORE, else the bbolt file in the data directory dir. It also
// returns where the state is, for logs (never a password). inUse is what
// an ErrLocked of the file adds: which process probably holds it.
func openState(ctx context.Context, e *env, flagValue, dir, inUse string) (store.Backend, string, error) {
	spec := flagValue
	if spec == "" {
		spec = e.getenv(storeEnv)
	}
	if spec != "" {
		if !postgres.IsURL(spec) {
			return nil, "", fmt.Errorf("%w: --store %q: want a postgres:// URL (the default keeps the state in the data directory)", errUsage, spec)
		}
		st, err := postgres.Open(ctx, spec, nil)
		if err != nil {
			return nil, "", err
		}
		return st, st.String(), nil
	}
	st, err := store.OpenDir(dir, nil)
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			return nil, "", fmt.Errorf("%w: %s", err, inUse)
		}
		return nil, "", err
	}
	return st, st.Path(), nil
}
