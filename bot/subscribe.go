package bot

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/internal/zhtext"
	"github.com/govbot/govbot/store"
)

// Subscription filter limits: a filter is a word such as 湖北 or 法治.
const (
	maxFilters     = 5
	maxFilterRunes = 20
)

// EnableAnnouncements registers the commands backed by a's store:
// /subscribe, /unsubscribe and /subscriptions for everyone (in a group only
// its admins may change the subscription; a channel is subscribed by one of
// its admins from a private chat with "/subscribe @channel"), and /stats
// and /announce for the admins recorded in the store (store.SetAdmins).
// Call it before Run.
func (s *Server) EnableAnnouncements(a *Announcer) {
	c := &subCommands{s: s, a: a, st: a.st}
	s.Handle(Command{Name: "subscribe", Description: "订阅新报告通知，可加筛选：/subscribe 湖北", Handle: c.subscribe})
	s.Handle(Command{Name: "unsubscribe", Description: "取消订阅新报告通知", Handle: c.unsubscribe})
	s.Handle(Command{Name: "subscriptions", Description: "查看订阅", Handle: c.subscriptions})
	// Admin commands stay out of the menu.
	s.Handle(Command{Name: "stats", Handle: c.stats})
	s.Handle(Command{Name: "announce", Handle: c.announce})
}

type subCommands struct {
	s  *Server
	a  *Announcer
	st AnnouncerStore
}

// target is the chat a subscription command acts on.
type target struct {
	id    int64
	kind  store.ChatKind
	title string
	here  bool // the chat the command was sent in
}

// refusal is an error whose text is the polite reply to the user.
type refusal string

func (r refusal) Error() string { return string(r) }

// parseSubArgs splits "/subscribe [@channel] [filter...]" arguments.
func parseSubArgs(args string) (channel string, filters []string, err error) {
	fields := strings.FieldsFunc(args, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(zhtext.Commas+zhtext.EnumerationComma+zhtext.Semicolons, r)
	})
	if len(fields) > 0 && strings.HasPrefix(fields[0], "@") {
		channel, fields = fields[0], fields[1:]
		if len(channel) < 2 {
			return "", nil, refusal("频道用户名不完整，例如：/subscribe @my_channel")
		}
	}
	seen := map[string]bool{}
	for _, f := range fields {
		if utf8.RuneCountInString(f) > maxFilterRunes {
			return "", nil, refusal(fmt.Sprintf("筛选词「%s」太长了，请用 %d 个字以内的词，例如地名或“法治”。", esc(clip(f, maxFilterRunes)), maxFilterRunes))
		}
		if !seen[f] {
			seen[f] = true
			filters = append(filters, f)
		}
	}
	if len(filters) > maxFilters {
		return "", nil, refusal(fmt.Sprintf("最多 %d 个筛选词。", maxFilters))
	}
	return channel, filters, nil
}

// isAdminMember reports whether m is the chat's owner or an administrator.
func isAdminMember(m *models.ChatMember) bool {
	return m != nil && (m.Type == models.ChatMemberTypeOwner || m.Type == models.ChatMemberTypeAdministrator)
}

func (c *subCommands) member(ctx context.Context, chat any, user int64) (*models.ChatMember, error) {
	var m *models.ChatMember
	err := c.s.send.Do(ctx, 0, "getChatMember", func(ctx context.Context) error {
		var err error
		m, err = c.s.b.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: chat, UserID: user})
		return err
	})
	return m, err
}

// resolve finds the chat a subscription command is about and checks that
// the sender may change its subscription.
func (c *subCommands) resolve(ctx context.Context, m *models.Message, channel string) (target, error) {
	if channel != "" {
		var ch *models.ChatFullInfo
		err := c.s.send.Do(ctx, 0, "getChat", func(ctx context.Context) error {
			var err error
			ch, err = c.s.b.GetChat(ctx, &tgbot.GetChatParams{ChatID: channel})
			return err
		})
		if err != nil || ch == nil {
			if err != nil && !errors.Is(err, tgbot.ErrorBadRequest) && !errors.Is(err, tgbot.ErrorForbidden) && !errors.Is(err, tgbot.ErrorNotFound) {
				return target{}, err
			}
			return target{}, refusal("找不到频道 " + esc(channel) + "。请确认用户名正确，并先把我添加为该频道的管理员。")
		}
		if ch.Type != models.ChatTypeChannel {
			return target{}, refusal(esc(channel) + " 不是频道。群组请在群里由管理员发送 /subscribe。")
		}
		if m.From == nil || anonymousAdmin(m) {
			return target{}, refusal("请在与我的私聊中发送 /subscribe " + esc(channel) + "，以便核对您是频道管理员。")
		}
		mem, err := c.member(ctx, ch.ID, m.From.ID)
		if err != nil && !errors.Is(err, tgbot.ErrorBadRequest) {
			return target{}, err
		}
		if !isAdminMember(mem) {
			return target{}, refusal("只有频道 " + esc(channel) + " 的管理员可以为它订阅或取消订阅。")
		}
		me, err := c.member(ctx, ch.ID, c.s.Me().ID)
		if err != nil && !errors.Is(err, tgbot.ErrorBadRequest) && !errors.Is(err, tgbot.ErrorForbidden) {
			return target{}, err
		}
		canPost := me != nil && (me.Type == models.ChatMemberTypeOwner || (me.Administrator != nil && me.Administrator.CanPostMessages))
		if !canPost {
			return target{}, refusal("我还不能在频道 " + esc(channel) + " 发消息：请先把我添加为频道管理员，并允许“发布消息”。")
		}
		title := "@" + strings.TrimPrefix(ch.Username, "@")
		if ch.Username == "" {
			title = ch.Title
		}
		return target{id: ch.ID, kind: store.KindChannel, title: title}, nil
	}
	switch m.Chat.Type {
	case models.ChatTypePrivate:
		return target{id: m.Chat.ID, kind: store.KindPrivate, title: privateTitle(m.Chat), here: true}, nil
	case models.ChatTypeGroup, models.ChatTypeSupergroup:
		if anonymousAdmin(m) {
			// Sent as the group: only its admins can do that.
			return target{id: m.Chat.ID, kind: store.KindGroup, title: m.Chat.Title, here: true}, nil
		}
		if m.From == nil {
			return target{}, refusal("只有群管理员可以为本群订阅或取消订阅新报告通知。")
		}
		mem, err := c.member(ctx, m.Chat.ID, m.From.ID)
		if err != nil && !errors.Is(err, tgbot.ErrorBadRequest) {
			return target{}, err
		}
		if !isAdminMember(mem) {
			return target{}, refusal("只有群管理员可以为本群订阅或取消订阅新报告通知。")
		}
		return target{id: m.Chat.ID, kind: store.KindGroup, title: m.Chat.Title, here: true}, nil
	}
	return target{}, refusal("这里不能订阅。")
}

// bySender is who a subscription is recorded as made by.
func bySender(m *models.Message) int64 {
	id, _ := senderID(m)
	return id
}

func privateTitle(c models.Chat) string {
	if c.Username != "" {
		return "@" + c.Username
	}
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// replyErr answers a refusal politely and reports other errors.
func (c *subCommands) replyErr(ctx context.Context, r *Request, err error) error {
	var ref refusal
	if errors.As(err, &ref) {
		_, rerr := r.Reply(ctx, string(ref), nil)
		return rerr
	}
	_, _ = r.Reply(ctx, "抱歉，暂时无法完成，请稍后再试。", nil)
	return err
}

func where(t target) string {
	if t.here {
		return "本聊天"
	}
	return "频道 " + esc(t.title) + " "
}

func (c *subCommands) subscribe(ctx context.Context, r *Request) error {
	channel, filters, err := parseSubArgs(r.Args)
	if err != nil {
		return c.replyErr(ctx, r, err)
	}
	t, err := c.resolve(ctx, r.Message, channel)
	if err != nil {
		return c.replyErr(ctx, r, err)
	}
	created, err := c.st.Subscribe(store.Subscription{ChatID: t.id, Kind: t.kind, Title: t.title, Filters: filters, By: bySender(r.Message)})
	if err != nil {
		return c.replyErr(ctx, r, err)
	}
	var sb strings.Builder
	if created {
		sb.WriteString("✅ 已为" + where(t) + "订阅新报告通知：收录新报告时会发来标题、要点和原文链接。")
	} else {
		sb.WriteString("✅ 已更新" + where(t) + "的订阅。")
	}
	if len(filters) > 0 {
		sb.WriteString("\n筛选：只通知发布机构、标题或主题含「" + esc(strings.Join(filters, "」或「")) + "」的报告。")
	} else {
		sb.WriteString("\n筛选：全部报告（可用 /subscribe 湖北 只订阅含“湖北”的报告）。")
	}
	sb.WriteString("\n取消：/unsubscribe")
	if !t.here {
		sb.WriteString(" " + esc(channel))
	}
	_, err = r.Reply(ctx, sb.String(), nil)
	return err
}

func (c *subCommands) unsubscribe(ctx context.Context, r *Request) error {
	channel, _, err := parseSubArgs(r.Args)
	if err != nil {
		return c.replyErr(ctx, r, err)
	}
	t, err := c.resolve(ctx, r.Message, channel)
	if err != nil {
		return c.replyErr(ctx, r, err)
	}
	removed, err := c.st.Unsubscribe(t.id)
	if err != nil {
		return c.replyErr(ctx, r, err)
	}
	msg := "已取消" + where(t) + "的新报告通知。"
	if !removed {
		msg = where(t) + "没有订阅新报告通知。"
	}
	_, err = r.Reply(ctx, msg, nil)
	return err
}

func describeSub(sub store.Subscription) string {
	f := "全部报告"
	if len(sub.Filters) > 0 {
		f = "筛选：" + esc(strings.Join(sub.Filters, "、"))
	}
	return f
}

func (c *subCommands) subscriptions(ctx context.Context, r *Request) error {
	m := r.Message
	var sb strings.Builder
	sub, err := c.st.Subscription(m.Chat.ID)
	switch {
	case err == nil:
		sb.WriteString("本聊天已订阅新报告通知（" + describeSub(sub) + "）。")
	case errors.Is(err, store.ErrNotFound):
		sb.WriteString("本聊天没有订阅新报告通知。发送 /subscribe 订阅。")
	default:
		return c.replyErr(ctx, r, err)
	}
	if isPrivate(m.Chat) {
		subs, err := c.st.Subscriptions()
		if err != nil {
			return c.replyErr(ctx, r, err)
		}
		var chans []string
		for _, s := range subs {
			if s.Kind == store.KindChannel && s.By == m.From.ID {
				chans = append(chans, "• "+esc(s.Title)+"（"+describeSub(s)+"）")
			}
		}
		if len(chans) > 0 {
			sb.WriteString("\n\n您为这些频道订阅了：\n" + strings.Join(chans, "\n"))
		}
	}
	_, err = r.Reply(ctx, sb.String(), nil)
	return err
}

// admin checks the sender of r is an admin and answers a refusal if not.
func (c *subCommands) admin(ctx context.Context, r *Request) (bool, error) {
	if r.Message.From != nil && c.st.IsAdmin(r.Message.From.ID) {
		return true, nil
	}
	_, err := r.Reply(ctx, "抱歉，这个命令仅限管理员使用。", nil)
	return false, err
}

func (c *subCommands) stats(ctx context.Context, r *Request) error {
	if ok, err := c.admin(ctx, r); !ok {
		return err
	}
	st, err := c.st.Stats(5)
	if err != nil {
		return c.replyErr(ctx, r, err)
	}
	subs, err := c.st.Subscriptions()
	if err != nil {
		return c.replyErr(ctx, r, err)
	}
	kinds := map[store.ChatKind]int{}
	for _, s := range subs {
		kinds[s.Kind]++
	}
	indexed := -1
	if list, ok := c.s.reportList(); ok {
		indexed = len(list)
	}
	var sb strings.Builder
	sb.WriteString("<b>运行状态</b>\n")
	if indexed >= 0 {
		fmt.Fprintf(&sb, "报告：已索引 %d 份，其中经收录流程记录 %d 份\n", indexed, st.Reports)
	} else {
		fmt.Fprintf(&sb, "报告：已记录 %d 份\n", st.Reports)
	}
	fmt.Fprintf(&sb, "订阅：%d 个聊天（私聊 %d，群组 %d，频道 %d）\n", st.Subscribers, kinds[store.KindPrivate], kinds[store.KindGroup], kinds[store.KindChannel])
	d := st.Deliveries
	fmt.Fprintf(&sb, "投递：待发送 %d，发送中 %d，已送达 %d，失败 %d，已取消 %d\n", d[store.Pending], d[store.Sending], d[store.Sent], d[store.Failed], d[store.Cancelled])
	n := c.a.Counts()
	fmt.Fprintf(&sb, "本次运行：送达 %d，重试 %d，移除聊天 %d，失败 %d\n", n.Sent, n.Retried, n.Dropped, n.Failed)
	if len(st.LastErrors) > 0 {
		sb.WriteString("\n<b>最近错误</b>\n")
		for _, e := range st.LastErrors {
			sb.WriteString("• " + e.At.Format("01-02 15:04") + " " + esc(e.Where) + "：" + esc(clip(e.Message, 200)) + "\n")
		}
	}
	_, err = r.Reply(ctx, strings.TrimRight(sb.String(), "\n"), nil)
	return err
}

func (c *subCommands) announce(ctx context.Context, r *Request) error {
	if ok, err := c.admin(ctx, r); !ok {
		return err
	}
	args := strings.Fields(r.Args)
	if len(args) == 0 {
		return c.announceUsage(ctx, r)
	}
	id := args[0]
	rep, err := c.a.report(id)
	if err != nil {
		_, err := r.Reply(ctx, "没有这份报告："+esc(id)+"。发送 /announce 查看报告编号。", nil)
		return err
	}
	if len(args) == 1 {
		sub, _ := c.st.Subscription(r.Message.Chat.ID)
		kind := sub.Kind
		if kind == "" {
			kind = store.KindPrivate
		}
		text, markup := RenderAnnouncement(rep, kind)
		if _, err := r.Sender.Send(ctx, r.Message.Chat.ID, text, &SendOptions{ThreadID: threadID(r.Message), Markup: markup}); err != nil {
			return err
		}
		_, err := r.Reply(ctx, "以上是预览，没有发给订阅者。发送 /announce "+esc(id)+" send 重新发给所有匹配的订阅者。", nil)
		return err
	}
	if args[1] != "send" && args[1] != "发送" {
		return c.announceUsage(ctx, r)
	}
	if _, err := c.st.Report(id); errors.Is(err, store.ErrNotFound) {
		// Indexed by "govbot index", never recorded: record it so the
		// outbox can refer to it.
		if _, err := c.st.PutReport(store.ReportRecord{ID: rep.ID, IndexNumber: rep.IndexNumber, URL: rep.URL, Title: rep.Title, Issuer: rep.Issuer}); err != nil {
			return c.replyErr(ctx, r, err)
		}
	}
	subs, err := c.st.Subscriptions()
	if err != nil {
		return c.replyErr(ctx, r, err)
	}
	var chats []int64
	for _, s := range subs {
		if s.Matches(corpus.MatchFields(rep)...) {
			chats = append(chats, s.ChatID)
		}
	}
	n, err := c.st.Requeue(id, chats...)
	if err != nil {
		return c.replyErr(ctx, r, err)
	}
	c.a.Wake()
	_, err = r.Reply(ctx, fmt.Sprintf("已把《%s》的通知重新排队发给 %d 个聊天（%d 个匹配的订阅者中，正在发送的不重复排队）。", esc(clip(rep.Title, 60)), n, len(chats)), nil)
	return err
}

func (c *subCommands) announceUsage(ctx context.Context, r *Request) error {
	recs, err := c.st.Reports()
	if err != nil {
		return c.replyErr(ctx, r, err)
	}
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].Added.After(recs[j].Added) })
	var sb strings.Builder
	sb.WriteString("用法：\n/announce 报告编号 — 预览通知（只发给您）\n/announce 报告编号 send — 重新发给所有匹配的订阅者\n")
	if len(recs) > 0 {
		sb.WriteString("\n最近收录：\n")
		for i, rec := range recs {
			if i == 5 {
				break
			}
			sb.WriteString("• <code>" + esc(rec.ID) + "</code> " + esc(clip(rec.Title, 40)) + " (r" + strconv.Itoa(rec.Revision) + ")\n")
		}
	}
	_, err = r.Reply(ctx, strings.TrimRight(sb.String(), "\n"), nil)
	return err
}
