WITH {speaker: {name: 'Trump', quotes: ['Vladimir, STOP!']}} AS doc
RETURN doc.speaker.name, doc['speaker']['quotes'][0], doc.speaker.quotes[-1..], -doc.speaker.quotes[0] IS NULL
