package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/go-telegram/bot/models"
)

// client is the HTTP client handed to go-telegram/bot. It does two things
// the library does not:
//
//   - it records the HTTP status of a request in the request's context, so
//     the Sender can tell a 5xx (retry) from a 4xx (give up) without parsing
//     error text;
//   - it screens getUpdates answers, replacing any update that does not
//     decode with a bare {"update_id": N}. The library decodes the whole
//     batch at once, so one malformed update would otherwise fail every poll
//     and stall the bot forever.
type client struct {
	hc      *http.Client
	dropped atomic.Int64 // updates replaced because they did not decode
}

type statusKey struct{}

// withStatus returns a context whose requests record their HTTP status in *p.
func withStatus(ctx context.Context, p *atomic.Int32) context.Context {
	return context.WithValue(ctx, statusKey{}, p)
}

func (c *client) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if p, ok := req.Context().Value(statusKey{}).(*atomic.Int32); ok {
		p.Store(int32(resp.StatusCode))
	}
	if resp.StatusCode == http.StatusOK && strings.HasSuffix(req.URL.Path, "/getUpdates") {
		body, rerr := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if rerr != nil {
			return nil, rerr
		}
		resp.Body = io.NopCloser(bytes.NewReader(c.screen(body)))
		resp.ContentLength = -1
	}
	return resp, nil
}

// screen rewrites a getUpdates answer so that every update in it decodes.
func (c *client) screen(body []byte) []byte {
	var r struct {
		OK     bool              `json:"ok"`
		Result []json.RawMessage `json:"result"`
	}
	if json.Unmarshal(body, &r) != nil || !r.OK {
		return body
	}
	changed := false
	for i, raw := range r.Result {
		var u models.Update
		if json.Unmarshal(raw, &u) == nil {
			continue
		}
		var id struct {
			ID int64 `json:"update_id"`
		}
		_ = json.Unmarshal(raw, &id) // best effort: keeps the offset moving
		r.Result[i], _ = json.Marshal(map[string]int64{"update_id": id.ID})
		c.dropped.Add(1)
		changed = true
	}
	if !changed {
		return body
	}
	out, err := json.Marshal(map[string]any{"ok": true, "result": r.Result})
	if err != nil {
		return body
	}
	return out
}
