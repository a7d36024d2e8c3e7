package bot

import "github.com/go-telegram/bot/models"

// wireButton is an inline keyboard button as sent to Telegram. It carries
// only the fields govbot uses, each omitted when empty: go-telegram/bot's own
// models.InlineKeyboardButton always sends "copy_text":{"text":""} (its
// CopyText is a struct, which omitempty does not omit), and Telegram may
// refuse the whole message with BUTTON_COPY_TEXT_INVALID for it.
type wireButton struct {
	Text                         string                              `json:"text"`
	URL                          string                              `json:"url,omitempty"`
	CallbackData                 string                              `json:"callback_data,omitempty"`
	SwitchInlineQuery            string                              `json:"switch_inline_query,omitempty"`
	SwitchInlineQueryCurrentChat string                              `json:"switch_inline_query_current_chat,omitempty"`
	SwitchInlineQueryChosenChat  *models.SwitchInlineQueryChosenChat `json:"switch_inline_query_chosen_chat,omitempty"`
	CopyText                     *models.CopyTextButton              `json:"copy_text,omitempty"`
}

// wireKeyboard is an inline keyboard markup made of wireButtons.
type wireKeyboard struct {
	InlineKeyboard [][]wireButton `json:"inline_keyboard"`
}

// wireMarkup returns m in the form sent to Telegram: inline keyboards are
// rewritten as wireKeyboards, anything else is returned as it is.
func wireMarkup(m models.ReplyMarkup) models.ReplyMarkup {
	var kb *models.InlineKeyboardMarkup
	switch v := m.(type) {
	case *models.InlineKeyboardMarkup:
		kb = v
	case models.InlineKeyboardMarkup:
		kb = &v
	default:
		return m
	}
	if kb == nil {
		return m
	}
	out := wireKeyboard{InlineKeyboard: make([][]wireButton, len(kb.InlineKeyboard))}
	for i, row := range kb.InlineKeyboard {
		out.InlineKeyboard[i] = make([]wireButton, len(row))
		for j, b := range row {
			w := wireButton{
				Text:                         b.Text,
				URL:                          b.URL,
				CallbackData:                 b.CallbackData,
				SwitchInlineQuery:            b.SwitchInlineQuery,
				SwitchInlineQueryCurrentChat: b.SwitchInlineQueryCurrentChat,
				SwitchInlineQueryChosenChat:  b.SwitchInlineQueryChosenChat,
			}
			if b.CopyText.Text != "" {
				ct := b.CopyText
				w.CopyText = &ct
			}
			out.InlineKeyboard[i][j] = w
		}
	}
	return &out
}
