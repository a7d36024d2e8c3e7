package bottest

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestCheckHTML(t *testing.T) {
	tests := []struct {
		name, text string
		limit      int
		ok         bool
	}{
		{"plain", "45件", 4096, true},
		{"nested allowed", `<b>45件</b>（2025年）<blockquote>共<b><u>45件</u></b>&amp;&lt;&gt;&quot;&#34;&#x27;</blockquote><a href="https://x.org/?a=1&amp;b=2">原文</a>`, 4096, true},
		{"spoiler and expandable", `<span class="tg-spoiler">x</span><blockquote expandable>y</blockquote><pre><code class="language-go">z</code></pre>`, 4096, true},
		{"unknown tag", "<div>x</div>", 4096, false},
		{"unclosed", "<b>x", 4096, false},
		{"misnested", "<b><i>x</b></i>", 4096, false},
		{"stray end", "x</b>", 4096, false},
		{"raw <", "a < b", 4096, false},
		{"raw >", "a > b", 4096, false},
		{"raw &", "a & b", 4096, false},
		{"named entity", "&nbsp;", 4096, false},
		{"bad attribute", `<b class="x">x</b>`, 4096, false},
		{"a without href", "<a>x</a>", 4096, false},
		{"span not spoiler", `<span class="big">x</span>`, 4096, false},
		{"nested blockquote", "<blockquote><blockquote>x</blockquote></blockquote>", 4096, false},
		{"tag in code", "<code><b>x</b></code>", 4096, false},
		{"empty", "<b></b>", 4096, false},
		{"limit counts text not tags", "<b>" + strings.Repeat("字", 4096) + "</b>", 4096, true},
		{"over limit", strings.Repeat("字", 4097), 4096, false},
		{"entity is one character", strings.Repeat("&amp;", 1024), 1024, true},
		{"astral counts two", strings.Repeat("😀", 513), 1024, false},
		{"caption limit", strings.Repeat("字", 1025), 1024, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckHTML(tt.text, tt.limit)
			if (err == nil) != tt.ok {
				t.Errorf("CheckHTML(%.60q) = %v, want ok=%v", tt.text, err, tt.ok)
			}
		})
	}
}

func TestGetChatMemberAndSendPhoto(t *testing.T) {
	s := New()
	defer s.Close()
	b, err := tgbot.New("1:T", tgbot.WithSkipGetMe(), tgbot.WithServerURL(s.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s.SetMember(-100, 5, models.ChatMemberTypeAdministrator)
	for user, want := range map[int64]models.ChatMemberType{5: models.ChatMemberTypeAdministrator, 6: models.ChatMemberTypeMember, BotUser.ID: models.ChatMemberTypeAdministrator} {
		m, err := b.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: -100, UserID: user})
		if err != nil || m.Type != want {
			t.Errorf("user %d: %v %+v, want %s", user, err, m, want)
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, 30, 20))
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	m, err := b.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: 7, Photo: &models.InputFileUpload{Filename: "c.png", Data: &buf}, Caption: "<b>图</b>", ParseMode: models.ParseModeHTML})
	if err != nil || len(m.Photo) != 1 || m.Photo[0].Width != 30 || m.Caption != "<b>图</b>" {
		t.Fatalf("sendPhoto: %v %+v", err, m)
	}
	_, err = b.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: 7, Photo: &models.InputFileUpload{Filename: "c.png", Data: bytes.NewReader([]byte("\x89PNG"))}, Caption: strings.Repeat("字", 1025)})
	if err == nil || len(s.Violations()) != 1 {
		t.Errorf("a 1025-character caption was accepted: %v %v", err, s.Violations())
	}
}
