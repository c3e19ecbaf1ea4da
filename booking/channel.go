package booking

import (
	"strings"
	"unicode"
)

// Channel is where a widget booking came from, as staff think of it: the
// Instagram or Facebook "Book" button, the Google Business Profile link, or
// the studio's own website.
type Channel string

// Channels shown in the event window.
const (
	ChannelInstagram Channel = "instagram"
	ChannelGoogle    Channel = "google"
	ChannelFacebook  Channel = "facebook"
	ChannelWebsite   Channel = "website"
)

// channelWords maps a word of utm_source or utm_medium to its channel. The
// short forms are the ones the platforms and our own direct-link snippets
// use (ig, fb, gbp/gmb for the Google Business Profile).
var channelWords = map[string]Channel{
	"instagram": ChannelInstagram,
	"ig":        ChannelInstagram,
	"google":    ChannelGoogle,
	"gbp":       ChannelGoogle,
	"gmb":       ChannelGoogle,
	"facebook":  ChannelFacebook,
	"fb":        ChannelFacebook,
}

// UTMChannel derives the channel from a widget booking's UTM parameters.
// The source decides; the medium is only consulted when the source says
// nothing known (utm_medium=instagram with a campaign-tool source, say).
// Sources are matched word by word, so "l.instagram.com", "ig_bio" and
// "Google Maps" are recognised while "fbi" or "bigoogle" are not. Anything
// else, including no UTM at all, is the studio's website.
func UTMChannel(u UTM) Channel {
	for _, s := range []string{u.Source, u.Medium} {
		for _, w := range strings.FieldsFunc(strings.ToLower(s), notAlnum) {
			if ch, ok := channelWords[w]; ok {
				return ch
			}
		}
	}
	return ChannelWebsite
}

func notAlnum(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// Channel is the booking's channel, or "" when staff made it.
func (b *Booking) Channel() Channel {
	if b.Source != SourceWidget {
		return ""
	}
	return UTMChannel(b.UTM)
}
