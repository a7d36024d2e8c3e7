package bot

import (
	"context"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/answer"
)

// maxPlaceButtons bounds the buttons offered when the engine asks which
// place a question means (Answer.Places), and placesPerRow lays them out.
const (
	maxPlaceButtons = 6
	placesPerRow    = 3
)

// placeRows are the buttons that ask a's question again about each place
// the engine offers: callback data "p:<key>:<i>".
func placeRows(a *answer.Answer, key string) [][]models.InlineKeyboardButton {
	var rows [][]models.InlineKeyboardButton
	for i, p := range a.Places {
		if i == maxPlaceButtons {
			break
		}
		if i%placesPerRow == 0 {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], models.InlineKeyboardButton{Text: "📍 " + clip(p, 20), CallbackData: "p:" + key + ":" + strconv.Itoa(i)})
	}
	return rows
}

// cbPlace asks the stored question again with the place pressed named in it.
func (s *Server) cbPlace(ctx context.Context, q *models.CallbackQuery, data string) error {
	key, is, _ := strings.Cut(data, ":")
	i, err := strconv.Atoi(is)
	a, ok := s.sessions.get(key)
	chat, _, okc := callbackChat(q)
	if !ok || err != nil || i < 0 || i >= len(a.Places) || !okc {
		return s.send.AnswerCallback(ctx, q.ID, "这条回答已过期，请重新提问。")
	}
	s.askFromCallback(ctx, q, chat.ID, a.Places[i]+" "+a.Question)
	return nil
}

// askFromCallback acknowledges the button press q and answers question as
// its presser asking it in chatID, in the topic the button's message is in.
func (s *Server) askFromCallback(ctx context.Context, q *models.CallbackQuery, chatID int64, question string) {
	if err := s.send.AnswerCallback(ctx, q.ID, ""); err != nil {
		s.log.Warn("answerCallbackQuery failed", "err", err)
	}
	thread := 0
	if q.Message.Message != nil {
		thread = threadID(q.Message.Message)
	}
	s.answerInChat(ctx, chatID, thread, 0, q.From.ID, question)
}
