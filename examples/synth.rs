//! `synth`: a deterministic, seeded generator of realistic news-reprint corpora with ground truth.
//!
//! ```text
//! cargo run --release --example synth -- --out DIR \
//!     [--from ../shared/eval/news-base/articles.jsonl | --generated] [--lang cs|de|es|hu|it|ru|any] \
//!     [--stories N | --articles N] [--sources N] [--seed S] [--format txt|jsonl] [--words MIN:MAX] \
//!     [--adversarial exact-half|shared-footer] [--translations RATE [--same-event RATE]] \
//!     [--long-tail RATE] [--statement-words MIN:MAX]
//! ```
//!
//! Originals come either from a JSON Lines file `{id, doc, lang, title, text}` read at run time
//! (one language is picked per `doc`; its other versions appear only with `--translations`) or,
//! with `--generated`, from a built-in synthetic English news generator. Every story is published
//! by one or more of N sites (heavy-tailed: most once, a few 10–20 times); each copy gets the
//! site's boilerplate (banner, breadcrumbs, byline, share bar, related-stories widget, footer: some
//! long and shared by a network of sites) and independent noise (new headline, truncation, dropped
//! paragraphs, light edits, appended updates, typography and Unicode variants, HTML entities, NFD,
//! hard wraps with hyphenation, blank-line runs, OCR-like character noise). Hard negatives are
//! planted on purpose: short briefs on long-footer sites, pairs of stories sharing one quoted
//! statement, and template stories (market close, match result, weather) filled with different
//! names and numbers.
//!
//! `--articles N` makes exactly N articles: stories are planned (N of them at most) and published
//! in order (a same-event negative right after its story) until their copies reach N, the last
//! story losing copies to fit. For the speed benchmark (`benches/e2e.sh`) two adversarial shapes
//! exist: `--adversarial exact-half` makes every second article an exact copy of the first one (one
//! giant group of identical texts), and `--adversarial shared-footer` turns every article into its
//! story's short brief above one long footer shared by all (different stories that look alike to
//! anything that keeps the footer).
//!
//! `--translations RATE` (default 0; real originals only) publishes about RATE of the regular
//! stories, those whose doc has a version in another language, in 1–3 other language versions of
//! their doc too (distinct languages, chosen among the doc's versions): each translated copy goes
//! to a site whose boilerplate is in its language where one exists (else any site), with the usual
//! per-copy noise (its headline is that version's title or a variant of it), and one in seven is
//! reprinted once more in its language. Truth counts a translation as a reprint: every copy of a
//! story, in every language, is in the story's cluster. `--same-event RATE` (default 0; needs
//! `--translations`) plants, for about RATE of the translated stories X, a hard negative N: "same
//! event, different story, other language". N takes the text of a doc Y that no story uses, in a
//! language L2 of X's doc other than X's own, and substitutes X's L2 names and numbers into it:
//! about half of Y's distinct capitalised words that do not start a sentence are replaced (every
//! occurrence alike) by capitalised words of X's L2 version in shuffled order, and about a third
//! of Y's numbers by X's numbers. N is its own story (a quarter of the time with a reprint in L2),
//! published within a day of X; docs for the N are set aside from the end of the shuffled docs
//! before the stories take theirs, so `--stories` may then make fewer stories. Both flags draw from
//! their own random streams: without them the output is byte for byte what it was before them.
//!
//! `--long-tail RATE` (default 0) moves about RATE of the copies (twice that of briefs) to sites
//! seen once or twice, on a few shared platforms (about 40 copies each): a platform's consent
//! paragraph sits above the headline and its newsletter pitch after the first paragraph (inside
//! the opening lines by which a brief's reprint count is judged), the footer is one plain-text
//! paragraph of the site's own sentences (name, phone, address) and the platform's (support,
//! donation), and half the pages are hard-wrapped with the day's date right under a long menu.
//! It draws from its own stream: without it the output is byte for byte what it was before it.
//!
//! Output (txt): `DIR/corpus/<site>/<slug>.txt`; (jsonl): `DIR/corpus.jsonl` with
//! `{"id","source","title","text"}` (text = the same page text as the .txt file), one record a
//! line in story order, written as it is generated so that millions of articles need no more
//! memory than their metadata.
//! Both: `DIR/truth.jsonl` (`{"cluster","ids"}` for every group of ≥2 copies, ids relative to
//! `DIR/corpus`), `DIR/meta.jsonl` (per article: story, kind, language of its text, copy number,
//! noise tags; a translated copy also has the tag `translation` and `"translated_from"`, the
//! story's own language, and a same-event negative has kind `same-event` and `"same_event_as"`,
//! the story it imitates), `DIR/hard_negatives.jsonl` (sets of distinct stories that must not be
//! merged; `same-event-other-language` lines name X's truth cluster and N) and `DIR/synth.json`
//! (arguments and counts; with the new flags also `translated_stories`, `translated_copies`,
//! `translated_langs` and `same_event_negatives`). Same arguments → byte-identical output.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, ValueEnum};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------------------
// Phrase tables: site boilerplate in eight languages (written for this generator).
// ---------------------------------------------------------------------------

struct Tab {
    code: &'static str,
    nav: [&'static str; 9],
    by: &'static str,
    published: &'static str,
    updated: &'static str,
    months: [&'static str; 12],
    weekdays: [&'static str; 7],
    share: &'static str,
    email: &'static str,
    print: &'static str,
    comments: &'static str,
    subscribe: &'static str,
    search: &'static str,
    login: &'static str,
    read_more: [&'static str; 3],
    related: [&'static str; 3],
    newsletter: [&'static str; 2],
    cookie: [&'static str; 2],
    about: [&'static str; 2],
    rights: &'static str,
    extra: [&'static str; 2],
    links: [&'static str; 6],
    ad: &'static str,
    update: &'static str,
    breaking: &'static str,
    video: &'static str,
    photo: &'static str,
    source: &'static str,
    taglines: [&'static str; 3],
    statement: [&'static str; 2],
    orgs: [&'static str; 5],
    outlet_a: &'static [&'static str],
    outlet_b: &'static [&'static str],
    names: &'static [&'static str],
    wires: &'static [&'static str],
    /// 0: "12 March 2014", 1: "12. März 2014", 2: "2014. március 12.", 3: "12 de marzo de 2014"
    date_style: u8,
    tld: &'static str,
}

const EN: Tab = Tab {
    code: "en",
    nav: ["Home", "World", "Politics", "Business", "Sport", "Culture", "Science", "Opinion", "Video"],
    by: "By",
    published: "Published",
    updated: "Updated",
    months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    weekdays: ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday"],
    share: "Share",
    email: "Email",
    print: "Print",
    comments: "Comments",
    subscribe: "Subscribe",
    search: "Search",
    login: "Log in",
    read_more: ["Read more at the source", "Continue reading at the source", "Read the full story at the original source"],
    related: ["Related stories:", "Read also:", "More from our network:"],
    newsletter: [
        "Get the day's top stories delivered to your inbox every morning. Sign up for the free {site} newsletter and never miss a story that matters to you.",
        "Subscribe to our daily briefing: the most important news of the day, hand-picked by our editors and sent straight to your inbox before breakfast. You can unsubscribe at any time.",
    ],
    cookie: [
        "We use cookies and similar technologies to improve your experience, to personalise content and ads and to analyse our traffic. By continuing to browse this site you agree to our use of cookies. Read our cookie policy to learn more.",
        "This website stores cookies on your device. These cookies are used to collect information about how you interact with our website and allow us to remember you. You can change your preferences in the cookie settings at any time.",
    ],
    about: [
        "{site} is an independent news website covering politics, business, culture and sport since {year}. Our newsroom is committed to accurate, fair and fast reporting.",
        "{site} is part of {network}, a family of regional and national news brands reaching millions of readers every month. Tips and corrections: write to our editors.",
    ],
    rights: "All rights reserved.",
    extra: [
        "Reproduction of this material in whole or in part without the written permission of the publisher is prohibited.",
        "Opinions expressed in the comments are those of their authors and not of the editorial board.",
    ],
    links: ["Terms of use", "Privacy policy", "Contact", "Advertise", "Careers", "About us"],
    ad: "Advertisement",
    update: "Update",
    breaking: "Breaking",
    video: "VIDEO",
    photo: "Photo",
    source: "Source",
    taglines: ["News you can trust", "Your daily news", "Independent journalism since {year}"],
    statement: ["A spokesperson for {org} said in a statement: {q}", "{q}, a spokesperson for {org} said."],
    orgs: ["the Ministry of the Interior", "the Ministry of Finance", "the European Commission", "the city council", "the national police"],
    outlet_a: &["Daily", "Morning", "Evening", "Metro", "National", "City", "Global", "Free"],
    outlet_b: &["Courier", "Post", "Herald", "Tribune", "Observer", "Times", "Gazette", "Express", "Reporter", "Chronicle"],
    names: &["James Walker", "Sarah Bennett", "Michael Turner", "Emma Hughes", "David Clarke", "Laura Morgan", "Peter Price", "Anna Fletcher", "Robert Hayes", "Helen Carter", "Thomas Reid", "Claire Dawson"],
    wires: &["AP", "Reuters", "AFP"],
    date_style: 0,
    tld: "com",
};

const FR: Tab = Tab {
    code: "fr",
    nav: ["Accueil", "Monde", "Politique", "Économie", "Sport", "Culture", "Sciences", "Opinions", "Vidéo"],
    by: "Par",
    published: "Publié le",
    updated: "Mis à jour le",
    months: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    weekdays: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    share: "Partager",
    email: "E-mail",
    print: "Imprimer",
    comments: "Commentaires",
    subscribe: "S’abonner",
    search: "Rechercher",
    login: "Se connecter",
    read_more: ["Lire la suite sur le site source", "Lien source", "Lire l’article complet sur le site d’origine"],
    related: ["Articles liés :", "À lire aussi :", "Plus d’articles du réseau :"],
    newsletter: [
        "Recevez chaque matin l’essentiel de l’actualité dans votre boîte mail. Inscrivez-vous gratuitement à la newsletter de {site} et ne manquez plus aucune information importante.",
        "Abonnez-vous à notre lettre quotidienne : les informations les plus importantes de la journée, sélectionnées par notre rédaction et envoyées directement dans votre boîte de réception. Désinscription possible à tout moment.",
    ],
    cookie: [
        "Nous utilisons des cookies et des technologies similaires pour améliorer votre expérience, personnaliser les contenus et les publicités et analyser notre trafic. En poursuivant votre navigation sur ce site, vous acceptez l’utilisation de cookies. Consultez notre politique de cookies pour en savoir plus.",
        "Ce site enregistre des cookies sur votre appareil. Ces cookies servent à collecter des informations sur la manière dont vous interagissez avec notre site et nous permettent de nous souvenir de vous. Vous pouvez modifier vos préférences à tout moment.",
    ],
    about: [
        "{site} est un site d’information indépendant qui couvre la politique, l’économie, la culture et le sport depuis {year}. Notre rédaction s’engage à produire une information exacte, équilibrée et rapide.",
        "{site} fait partie de {network}, un groupe de médias régionaux et nationaux qui touche des millions de lecteurs chaque mois. Une erreur, une information ? Écrivez à la rédaction.",
    ],
    rights: "Tous droits réservés.",
    extra: [
        "Toute reproduction, totale ou partielle, de ce contenu sans l’autorisation écrite de l’éditeur est interdite.",
        "Les commentaires publiés n’engagent que leurs auteurs et non la rédaction.",
    ],
    links: ["Conditions d’utilisation", "Politique de confidentialité", "Contact", "Publicité", "Recrutement", "Mentions légales"],
    ad: "Publicité",
    update: "Mise à jour",
    breaking: "Dernière minute",
    video: "VIDÉO",
    photo: "Photo",
    source: "Source",
    taglines: ["L’information en continu", "Dernières Nouvelles", "Le journal indépendant depuis {year}"],
    statement: ["Un porte-parole {org} a déclaré dans un communiqué : {q}", "{q}, a indiqué un porte-parole {org}."],
    orgs: ["du ministère de l’Intérieur", "du ministère des Finances", "de la Commission européenne", "de la mairie", "de la police nationale"],
    outlet_a: &["Le Courrier", "La Dépêche", "L’Écho", "Le Journal", "La Gazette", "Le Progrès", "Le Matin"],
    outlet_b: &["du Soir", "de l’Est", "du Centre", "Info", "24", "Actu", "du Midi"],
    names: &["Jean Martin", "Claire Dubois", "Pierre Lefèvre", "Sophie Moreau", "Nicolas Laurent", "Julie Girard", "Antoine Roux", "Camille Fournier", "Thomas Bonnet", "Élise Mercier"],
    wires: &["AFP", "Reuters"],
    date_style: 0,
    tld: "fr",
};

const DE: Tab = Tab {
    code: "de",
    nav: ["Startseite", "Welt", "Politik", "Wirtschaft", "Sport", "Kultur", "Wissen", "Meinung", "Video"],
    by: "Von",
    published: "Veröffentlicht am",
    updated: "Aktualisiert am",
    months: ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
    weekdays: ["am Montag", "am Dienstag", "am Mittwoch", "am Donnerstag", "am Freitag", "am Samstag", "am Sonntag"],
    share: "Teilen",
    email: "E-Mail",
    print: "Drucken",
    comments: "Kommentare",
    subscribe: "Abonnieren",
    search: "Suche",
    login: "Anmelden",
    read_more: ["Weiterlesen bei der Quelle", "Den vollständigen Artikel lesen Sie beim Originalmedium", "Mehr dazu in der Originalquelle"],
    related: ["Verwandte Artikel:", "Lesen Sie auch:", "Mehr aus unserem Netzwerk:"],
    newsletter: [
        "Die wichtigsten Nachrichten des Tages jeden Morgen in Ihrem Postfach. Melden Sie sich jetzt kostenlos für den Newsletter von {site} an und verpassen Sie keine wichtige Meldung mehr.",
        "Abonnieren Sie unser tägliches Briefing: die wichtigsten Nachrichten des Tages, ausgewählt von unserer Redaktion und direkt in Ihr Postfach geschickt. Eine Abmeldung ist jederzeit möglich.",
    ],
    cookie: [
        "Wir verwenden Cookies und ähnliche Technologien, um Ihr Nutzungserlebnis zu verbessern, Inhalte und Anzeigen zu personalisieren und unsere Zugriffe zu analysieren. Wenn Sie diese Website weiter nutzen, stimmen Sie der Verwendung von Cookies zu. Mehr dazu in unserer Datenschutzerklärung.",
        "Diese Website speichert Cookies auf Ihrem Gerät. Diese Cookies werden verwendet, um Informationen darüber zu sammeln, wie Sie mit unserer Website interagieren, und um Sie wiederzuerkennen. Ihre Einstellungen können Sie jederzeit ändern.",
    ],
    about: [
        "{site} ist ein unabhängiges Nachrichtenportal und berichtet seit {year} über Politik, Wirtschaft, Kultur und Sport. Unsere Redaktion steht für genaue, faire und schnelle Berichterstattung.",
        "{site} gehört zu {network}, einer Gruppe regionaler und überregionaler Medienmarken, die jeden Monat Millionen Leserinnen und Leser erreicht. Hinweise und Korrekturen senden Sie bitte an die Redaktion.",
    ],
    rights: "Alle Rechte vorbehalten.",
    extra: [
        "Die Vervielfältigung dieser Inhalte, auch auszugsweise, ist ohne schriftliche Genehmigung des Verlags untersagt.",
        "Kommentare geben die Meinung ihrer Verfasser wieder, nicht die der Redaktion.",
    ],
    links: ["Nutzungsbedingungen", "Datenschutz", "Kontakt", "Werbung", "Karriere", "Impressum"],
    ad: "Anzeige",
    update: "Aktualisierung",
    breaking: "Eilmeldung",
    video: "VIDEO",
    photo: "Foto",
    source: "Quelle",
    taglines: ["Nachrichten aus aller Welt", "Ihre Tageszeitung im Netz", "Unabhängiger Journalismus seit {year}"],
    statement: ["Ein Sprecher {org} erklärte in einer Mitteilung: {q}", "{q}, sagte ein Sprecher {org}."],
    orgs: ["des Innenministeriums", "des Finanzministeriums", "der Europäischen Kommission", "der Stadtverwaltung", "der Bundespolizei"],
    outlet_a: &["Neue", "Freie", "Rheinische", "Allgemeine", "Berliner", "Märkische", "Westfälische"],
    outlet_b: &["Zeitung", "Rundschau", "Post", "Presse", "Nachrichten", "Tagespost"],
    names: &["Thomas Müller", "Anna Schmidt", "Michael Weber", "Julia Fischer", "Stefan Wagner", "Katrin Becker", "Jan Hoffmann", "Sabine Schulz", "Markus Koch", "Claudia Richter", "Andreas Wolf", "Petra Neumann"],
    wires: &["dpa", "AFP", "Reuters"],
    date_style: 1,
    tld: "de",
};

const ES: Tab = Tab {
    code: "es",
    nav: ["Portada", "Internacional", "Política", "Economía", "Deportes", "Cultura", "Ciencia", "Opinión", "Vídeo"],
    by: "Por",
    published: "Publicado el",
    updated: "Actualizado el",
    months: ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
    weekdays: ["el lunes", "el martes", "el miércoles", "el jueves", "el viernes", "el sábado", "el domingo"],
    share: "Compartir",
    email: "Correo",
    print: "Imprimir",
    comments: "Comentarios",
    subscribe: "Suscríbete",
    search: "Buscar",
    login: "Iniciar sesión",
    read_more: ["Leer más en la fuente original", "Sigue leyendo en la fuente", "Lee la noticia completa en el medio original"],
    related: ["Noticias relacionadas:", "Lee también:", "Más de nuestra red:"],
    newsletter: [
        "Recibe cada mañana las noticias más importantes del día en tu correo. Suscríbete gratis al boletín de {site} y no te pierdas ninguna información relevante.",
        "Suscríbete a nuestro resumen diario: las noticias más importantes del día, seleccionadas por nuestra redacción y enviadas directamente a tu bandeja de entrada. Puedes darte de baja en cualquier momento.",
    ],
    cookie: [
        "Utilizamos cookies propias y de terceros para mejorar tu experiencia, personalizar contenidos y anuncios y analizar nuestro tráfico. Si continúas navegando, consideramos que aceptas su uso. Consulta nuestra política de cookies para más información.",
        "Este sitio web almacena cookies en tu dispositivo. Estas cookies se utilizan para recopilar información sobre cómo interactúas con nuestra web y nos permiten recordarte. Puedes cambiar tus preferencias en cualquier momento.",
    ],
    about: [
        "{site} es un diario digital independiente que informa sobre política, economía, cultura y deportes desde {year}. Nuestra redacción está comprometida con un periodismo riguroso, plural y rápido.",
        "{site} forma parte de {network}, un grupo de medios regionales y nacionales que llega a millones de lectores cada mes. ¿Has visto un error? Escribe a nuestra redacción.",
    ],
    rights: "Todos los derechos reservados.",
    extra: [
        "Queda prohibida la reproducción total o parcial de estos contenidos sin la autorización expresa del editor.",
        "Los comentarios son responsabilidad exclusiva de sus autores y no reflejan la opinión de la redacción.",
    ],
    links: ["Aviso legal", "Política de privacidad", "Contacto", "Publicidad", "Trabaja con nosotros", "Quiénes somos"],
    ad: "Publicidad",
    update: "Actualización",
    breaking: "Última hora",
    video: "VÍDEO",
    photo: "Foto",
    source: "Fuente",
    taglines: ["Noticias de última hora", "Tu diario digital", "Periodismo independiente desde {year}"],
    statement: ["Un portavoz {org} afirmó en un comunicado: {q}", "{q}, señaló un portavoz {org}."],
    orgs: ["del Ministerio del Interior", "del Ministerio de Hacienda", "de la Comisión Europea", "del ayuntamiento", "de la Policía Nacional"],
    outlet_a: &["El Diario", "La Voz", "El Correo", "La Crónica", "El Heraldo", "La Gaceta"],
    outlet_b: &["del Norte", "del Sur", "de la Costa", "Digital", "Hoy", "Regional"],
    names: &["Carlos García", "María López", "Javier Martínez", "Lucía Sánchez", "Pablo Fernández", "Ana Romero", "Diego Torres", "Elena Navarro", "Sergio Ruiz", "Marta Gil", "Andrés Molina", "Laura Ortega"],
    wires: &["EFE", "Europa Press"],
    date_style: 3,
    tld: "es",
};

const IT: Tab = Tab {
    code: "it",
    nav: ["Home", "Mondo", "Politica", "Economia", "Sport", "Cultura", "Scienze", "Opinioni", "Video"],
    by: "Di",
    published: "Pubblicato il",
    updated: "Aggiornato il",
    months: ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
    weekdays: ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
    share: "Condividi",
    email: "Email",
    print: "Stampa",
    comments: "Commenti",
    subscribe: "Abbonati",
    search: "Cerca",
    login: "Accedi",
    read_more: ["Leggi di più sulla fonte", "Continua a leggere sulla fonte originale", "Leggi l’articolo completo alla fonte"],
    related: ["Articoli correlati:", "Leggi anche:", "Altro dalla nostra rete:"],
    newsletter: [
        "Ricevi ogni mattina le notizie più importanti della giornata nella tua casella di posta. Iscriviti gratis alla newsletter di {site} e non perderti nessuna notizia importante.",
        "Iscriviti al nostro notiziario quotidiano: le notizie più importanti del giorno, scelte dalla nostra redazione e inviate direttamente nella tua casella di posta. Puoi annullare l’iscrizione in qualsiasi momento.",
    ],
    cookie: [
        "Utilizziamo cookie e tecnologie simili per migliorare la tua esperienza, personalizzare contenuti e annunci e analizzare il nostro traffico. Proseguendo la navigazione accetti l’uso dei cookie. Leggi la nostra informativa sui cookie per saperne di più.",
        "Questo sito memorizza cookie sul tuo dispositivo. Questi cookie servono a raccogliere informazioni su come interagisci con il nostro sito e ci permettono di ricordarti. Puoi modificare le tue preferenze in qualsiasi momento.",
    ],
    about: [
        "{site} è un giornale online indipendente che si occupa di politica, economia, cultura e sport dal {year}. La nostra redazione si impegna per un’informazione accurata, equilibrata e tempestiva.",
        "{site} fa parte di {network}, un gruppo di testate regionali e nazionali che raggiunge milioni di lettori ogni mese. Segnalazioni e correzioni: scrivi alla redazione.",
    ],
    rights: "Tutti i diritti riservati.",
    extra: [
        "È vietata la riproduzione, anche parziale, dei contenuti senza l’autorizzazione scritta dell’editore.",
        "I commenti rappresentano l’opinione dei rispettivi autori e non della redazione.",
    ],
    links: ["Termini di utilizzo", "Privacy", "Contatti", "Pubblicità", "Lavora con noi", "Chi siamo"],
    ad: "Pubblicità",
    update: "Aggiornamento",
    breaking: "Ultim’ora",
    video: "VIDEO",
    photo: "Foto",
    source: "Fonte",
    taglines: ["Le notizie in tempo reale", "Il tuo quotidiano online", "Giornalismo indipendente dal {year}"],
    statement: ["Un portavoce {org} ha dichiarato in una nota: {q}", "{q}, ha detto un portavoce {org}."],
    orgs: ["del ministero dell’Interno", "del ministero dell’Economia", "della Commissione europea", "del Comune", "della Polizia di Stato"],
    outlet_a: &["Il Corriere", "La Gazzetta", "Il Giornale", "La Voce", "Il Messaggero", "La Nuova"],
    outlet_b: &["del Nord", "del Sud", "di Città", "Online", "della Sera", "del Mattino"],
    names: &["Marco Rossi", "Giulia Bianchi", "Luca Romano", "Francesca Colombo", "Alessandro Ricci", "Chiara Marino", "Matteo Greco", "Sara Bruno", "Davide Gallo", "Elena Conti", "Paolo De Luca", "Valentina Costa"],
    wires: &["ANSA", "Adnkronos"],
    date_style: 0,
    tld: "it",
};

const CS: Tab = Tab {
    code: "cs",
    nav: ["Domů", "Zahraničí", "Politika", "Ekonomika", "Sport", "Kultura", "Věda", "Názory", "Video"],
    by: "Autor:",
    published: "Publikováno",
    updated: "Aktualizováno",
    months: ["ledna", "února", "března", "dubna", "května", "června", "července", "srpna", "září", "října", "listopadu", "prosince"],
    weekdays: ["v pondělí", "v úterý", "ve středu", "ve čtvrtek", "v pátek", "v sobotu", "v neděli"],
    share: "Sdílet",
    email: "E-mail",
    print: "Tisk",
    comments: "Diskuse",
    subscribe: "Předplatné",
    search: "Hledat",
    login: "Přihlásit",
    read_more: ["Celý článek čtěte na webu zdroje", "Pokračování článku najdete u zdroje", "Více informací na původním webu"],
    related: ["Související články:", "Čtěte také:", "Další zprávy z naší sítě:"],
    newsletter: [
        "Nejdůležitější zprávy dne každé ráno ve vaší e-mailové schránce. Přihlaste se zdarma k odběru newsletteru {site} a nepřijďte o žádnou důležitou zprávu.",
        "Objednejte si náš denní přehled: nejdůležitější zprávy dne vybrané naší redakcí a zaslané přímo do vaší schránky. Odběr můžete kdykoli zrušit.",
    ],
    cookie: [
        "Tento web používá soubory cookies a podobné technologie ke zlepšení vašeho zážitku, k personalizaci obsahu a reklam a k analýze návštěvnosti. Pokračováním v prohlížení souhlasíte s jejich používáním. Více informací najdete v zásadách používání cookies.",
        "Tato stránka ukládá do vašeho zařízení soubory cookies. Slouží ke shromažďování informací o tom, jak web používáte, a umožňují nám si vás zapamatovat. Nastavení můžete kdykoli změnit.",
    ],
    about: [
        "{site} je nezávislý zpravodajský server, který od roku {year} přináší zprávy z politiky, ekonomiky, kultury a sportu. Naše redakce usiluje o přesné, vyvážené a rychlé zpravodajství.",
        "{site} je součástí skupiny {network}, která sdružuje regionální i celostátní zpravodajské tituly a každý měsíc oslovuje miliony čtenářů. Tipy a opravy posílejte redakci.",
    ],
    rights: "Všechna práva vyhrazena.",
    extra: [
        "Jakékoli další šíření obsahu bez písemného souhlasu vydavatele je zakázáno.",
        "Názory v diskusi vyjadřují postoje jejich autorů, nikoli redakce.",
    ],
    links: ["Podmínky užití", "Ochrana osobních údajů", "Kontakt", "Reklama", "Kariéra", "O nás"],
    ad: "Reklama",
    update: "Aktualizace",
    breaking: "Právě teď",
    video: "VIDEO",
    photo: "Foto",
    source: "Zdroj",
    taglines: ["Zprávy z domova i ze světa", "Vaše denní zpravodajství", "Nezávislá žurnalistika od roku {year}"],
    statement: ["Mluvčí {org} v prohlášení uvedl: {q}", "{q}, uvedl mluvčí {org}."],
    orgs: ["ministerstva vnitra", "ministerstva financí", "Evropské komise", "městského úřadu", "Policie ČR"],
    outlet_a: &["Denní", "Večerní", "Ranní", "Nový", "Český", "Moravský"],
    outlet_b: &["zpravodaj", "deník", "kurýr", "hlasatel", "report", "týdeník"],
    names: &["Jan Novák", "Petra Svobodová", "Tomáš Dvořák", "Lucie Černá", "Martin Procházka", "Jana Kučerová", "Pavel Veselý", "Eva Horáková", "Jiří Marek", "Tereza Pokorná", "Ondřej Král", "Kateřina Němcová"],
    wires: &["ČTK", "AFP"],
    date_style: 1,
    tld: "cz",
};

const HU: Tab = Tab {
    code: "hu",
    nav: ["Címlap", "Külföld", "Belföld", "Gazdaság", "Sport", "Kultúra", "Tudomány", "Vélemény", "Videó"],
    by: "Szerző:",
    published: "Közzétéve:",
    updated: "Frissítve:",
    months: ["január", "február", "március", "április", "május", "június", "július", "augusztus", "szeptember", "október", "november", "december"],
    weekdays: ["hétfőn", "kedden", "szerdán", "csütörtökön", "pénteken", "szombaton", "vasárnap"],
    share: "Megosztás",
    email: "E-mail",
    print: "Nyomtatás",
    comments: "Hozzászólások",
    subscribe: "Előfizetés",
    search: "Keresés",
    login: "Belépés",
    read_more: ["Tovább a forrásra", "A teljes cikket a forrásoldalon olvashatja", "Bővebben az eredeti forrásnál"],
    related: ["Kapcsolódó cikkek:", "Ezt is olvassa el:", "További hírek hálózatunkból:"],
    newsletter: [
        "A nap legfontosabb hírei minden reggel a postafiókjában. Iratkozzon fel ingyenesen a {site} hírlevelére, és ne maradjon le egyetlen fontos hírről sem.",
        "Iratkozzon fel napi hírösszefoglalónkra: a nap legfontosabb hírei, szerkesztőségünk válogatásában, egyenesen a postafiókjába. A leiratkozás bármikor lehetséges.",
    ],
    cookie: [
        "Weboldalunk sütiket és hasonló technológiákat használ a felhasználói élmény javítása, a tartalmak és hirdetések személyre szabása, valamint a forgalom elemzése érdekében. Az oldal további használatával hozzájárul a sütik használatához. Részletek a süti szabályzatunkban.",
        "Ez a weboldal sütiket tárol az Ön eszközén. A sütik segítségével információt gyűjtünk arról, hogyan használja weboldalunkat, és így meg tudjuk jegyezni Önt. Beállításait bármikor módosíthatja.",
    ],
    about: [
        "A {site} független hírportál, amely {year} óta tudósít a politika, a gazdaság, a kultúra és a sport eseményeiről. Szerkesztőségünk pontos, kiegyensúlyozott és gyors tájékoztatásra törekszik.",
        "A {site} a {network} része, amely regionális és országos hírmárkákat fog össze, és havonta több millió olvasót ér el. Tippjeit és helyesbítéseit küldje el szerkesztőségünknek.",
    ],
    rights: "Minden jog fenntartva.",
    extra: [
        "A tartalmak részben vagy egészben történő felhasználása a kiadó írásos engedélye nélkül tilos.",
        "A hozzászólások a szerzők véleményét tükrözik, nem a szerkesztőségét.",
    ],
    links: ["Felhasználási feltételek", "Adatvédelem", "Kapcsolat", "Hirdetés", "Karrier", "Impresszum"],
    ad: "Hirdetés",
    update: "Frissítés",
    breaking: "Friss",
    video: "VIDEÓ",
    photo: "Fotó",
    source: "Forrás",
    taglines: ["Hírek itthonról és a nagyvilágból", "Az Ön napi hírportálja", "Független újságírás {year} óta"],
    statement: ["{org} szóvivője közleményében azt mondta: {q}", "{q} – közölte {org} szóvivője."],
    orgs: ["a Belügyminisztérium", "a Pénzügyminisztérium", "az Európai Bizottság", "a városi önkormányzat", "a rendőrség"],
    outlet_a: &["Napi", "Esti", "Reggeli", "Magyar", "Pesti", "Független"],
    outlet_b: &["Hírlap", "Hírek", "Krónika", "Napló", "Posta", "Figyelő"],
    names: &["Nagy Péter", "Kovács Anna", "Tóth László", "Szabó Eszter", "Horváth Gábor", "Varga Katalin", "Kiss Zoltán", "Molnár Judit", "Németh Balázs", "Farkas Réka", "Balogh Tamás", "Papp Zsófia"],
    wires: &["MTI"],
    date_style: 2,
    tld: "hu",
};

const RU: Tab = Tab {
    code: "ru",
    nav: ["Главная", "В мире", "Политика", "Экономика", "Спорт", "Культура", "Наука", "Мнения", "Видео"],
    by: "Автор:",
    published: "Опубликовано",
    updated: "Обновлено",
    months: ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"],
    weekdays: ["в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье"],
    share: "Поделиться",
    email: "Эл. почта",
    print: "Печать",
    comments: "Комментарии",
    subscribe: "Подписаться",
    search: "Поиск",
    login: "Войти",
    read_more: ["Читать далее в источнике", "Полностью статью читайте на сайте источника", "Подробнее в первоисточнике"],
    related: ["Похожие новости:", "Читайте также:", "Ещё из нашей сети:"],
    newsletter: [
        "Главные новости дня каждое утро в вашем почтовом ящике. Подпишитесь бесплатно на рассылку {site} и не пропускайте важные события.",
        "Подпишитесь на нашу ежедневную сводку: самые важные новости дня, отобранные редакцией и отправленные прямо на вашу почту. Отписаться можно в любой момент.",
    ],
    cookie: [
        "Мы используем файлы cookie и аналогичные технологии, чтобы улучшить работу сайта, персонализировать материалы и рекламу и анализировать посещаемость. Продолжая пользоваться сайтом, вы соглашаетесь с использованием файлов cookie. Подробнее в нашей политике конфиденциальности.",
        "Этот сайт сохраняет файлы cookie на вашем устройстве. Они помогают нам понять, как вы пользуетесь сайтом, и запомнить ваши настройки. Изменить настройки можно в любое время.",
    ],
    about: [
        "{site} — независимое интернет-издание, которое с {year} года рассказывает о политике, экономике, культуре и спорте. Наша редакция стремится к точной, взвешенной и оперативной информации.",
        "{site} входит в {network} — объединение региональных и федеральных СМИ, которые ежемесячно читают миллионы людей. Сообщить о новости или ошибке можно в редакцию.",
    ],
    rights: "Все права защищены.",
    extra: [
        "Полное или частичное воспроизведение материалов без письменного разрешения редакции запрещено.",
        "Мнение редакции может не совпадать с мнением авторов комментариев.",
    ],
    links: ["Пользовательское соглашение", "Политика конфиденциальности", "Контакты", "Реклама", "Вакансии", "О нас"],
    ad: "Реклама",
    update: "Обновление",
    breaking: "Срочно",
    video: "ВИДЕО",
    photo: "Фото",
    source: "Источник",
    taglines: ["Новости России и мира", "Ваша ежедневная газета", "Независимая журналистика с {year} года"],
    statement: ["Представитель {org} заявил: {q}", "{q}, – заявил представитель {org}."],
    orgs: ["Министерства внутренних дел", "Министерства финансов", "Европейской комиссии", "городской администрации", "полиции"],
    outlet_a: &["Новая", "Вечерняя", "Утренняя", "Российская", "Столичная", "Народная"],
    outlet_b: &["газета", "почта", "хроника", "звезда", "неделя", "правда"],
    names: &["Иван Петров", "Анна Смирнова", "Сергей Кузнецов", "Ольга Попова", "Дмитрий Соколов", "Елена Морозова", "Алексей Волков", "Мария Лебедева", "Андрей Козлов", "Наталья Новикова", "Михаил Орлов", "Татьяна Фёдорова"],
    wires: &["ТАСС", "РИА Новости", "Интерфакс"],
    date_style: 0,
    tld: "ru",
};

const TABS: [&Tab; 8] = [&EN, &FR, &DE, &ES, &IT, &CS, &HU, &RU];

fn tab_for(code: &str) -> Option<&'static Tab> {
    TABS.iter().copied().find(|t| t.code == code)
}

// ---------------------------------------------------------------------------
// Template stories (market close, match result, weather): one template per kind
// and language, filled with different names and numbers.
// ---------------------------------------------------------------------------

struct Tpl {
    title: &'static str,
    paras: [&'static str; 4],
}

struct TplSet {
    market: Tpl,
    matchr: Tpl,
    weather: Tpl,
    indices: &'static [&'static str],
    teams: &'static [&'static str],
    cities: &'static [&'static str],
    conds: [&'static str; 4],
    wdirs: [&'static str; 4],
    corp_suffix: &'static [&'static str],
    cyrillic: bool,
}

const TPL_EN: TplSet = TplSet {
    market: Tpl {
        title: "{index} closes at {v1} points as {co1} gains {pct2}%",
        paras: [
            "The {index} index closed at {v1} points {wd}, a change of {sgn}{pct} percent from the previous session, as investors weighed fresh economic data and the latest company results.",
            "Shares of {co1} gained {pct2} percent to {px} after the company reported quarterly figures above analysts' expectations, while {co2} lost {pct3} percent.",
            "Trading volume reached {vol} million shares, compared with an average of {vol2} million over the past thirty sessions. The pound traded at {fx} against the euro.",
            "Analysts at {co3} said the market would remain sensitive to central bank decisions in the coming weeks. \"We expect volatility to stay elevated until the next rate meeting,\" said {person}, a strategist at the firm.",
        ],
    },
    matchr: Tpl {
        title: "{team1} beat {team2} {s1}:{s2} in round {round}",
        paras: [
            "{team1} defeated {team2} {s1}:{s2} {wd} in round {round} of the league in front of {att} spectators.",
            "{sc1} opened the scoring in the {m1}th minute and {sc2} added another goal after {m2} minutes. {team2} reduced the deficit through {sc3} in the {m3}th minute.",
            "With the win, {team1} moved up to position {rank} in the table with {pts} points, while {team2} stays in position {rank2}.",
            "\"We controlled the game from the first minute and deserved the three points,\" coach {coach} said after the match. The next round is scheduled for the coming weekend.",
        ],
    },
    weather: Tpl {
        title: "Weather: up to {t2} °C in {city} {wd}",
        paras: [
            "Forecasters expect a {cond} day in the {city} region {wd}, with daytime temperatures between {t1} and {t2} degrees Celsius.",
            "Overnight temperatures will drop to {t0} degrees. Wind from the {wdir} will reach speeds of up to {wind} kilometres per hour, and the probability of precipitation is {rain} percent.",
            "The national weather service said conditions should remain similar until the weekend. Drivers are advised to take extra care on mountain roads and in areas with fog.",
            "Meteorologist {person} said the outlook for the following days remains uncertain and that forecasts would be updated in the evening.",
        ],
    },
    indices: &["FTSE 250", "FTSE 100", "AIM All-Share"],
    teams: &["Riverside Rovers", "Northfield United", "Ashby Athletic", "Kingsport City", "Elmwood Wanderers", "Harbour Town", "Millbrook Rangers", "Castleford Albion"],
    cities: &["Leeds", "Bristol", "Cardiff", "Glasgow", "Norwich", "York", "Exeter", "Aberdeen", "Brighton", "Belfast"],
    conds: ["mostly sunny", "cloudy", "rainy", "windy"],
    wdirs: ["north", "south", "west", "east"],
    corp_suffix: &["plc", "Group", "Holdings"],
    cyrillic: false,
};

const TPL_DE: TplSet = TplSet {
    market: Tpl {
        title: "{index} schließt bei {v1} Punkten, {co1} legt {pct2} Prozent zu",
        paras: [
            "Der {index} hat {wd} bei {v1} Punkten geschlossen, eine Veränderung von {sgn}{pct} Prozent gegenüber dem Vortag. Anleger werteten neue Konjunkturdaten und die jüngsten Unternehmenszahlen aus.",
            "Die Aktien von {co1} stiegen um {pct2} Prozent auf {px} Euro, nachdem das Unternehmen Quartalszahlen über den Erwartungen der Analysten vorgelegt hatte. {co2} verlor dagegen {pct3} Prozent.",
            "Das Handelsvolumen erreichte {vol} Millionen Aktien, verglichen mit durchschnittlich {vol2} Millionen in den vergangenen dreißig Sitzungen. Der Euro notierte bei {fx} Dollar.",
            "Analysten von {co3} erwarten, dass der Markt in den kommenden Wochen empfindlich auf Entscheidungen der Notenbank reagieren wird. \"Wir rechnen mit anhaltend hoher Volatilität bis zur nächsten Zinssitzung\", sagte {person}, Stratege des Hauses.",
        ],
    },
    matchr: Tpl {
        title: "{team1} schlägt {team2} mit {s1}:{s2}",
        paras: [
            "{team1} hat {wd} in der {round}. Runde der Liga gegen {team2} mit {s1}:{s2} gewonnen. Das Spiel verfolgten {att} Zuschauer.",
            "{sc1} brachte die Gastgeber in der {m1}. Minute in Führung, {sc2} erhöhte nach {m2} Minuten. {team2} verkürzte in der {m3}. Minute durch {sc3}.",
            "Mit dem Sieg verbesserte sich {team1} auf Platz {rank} der Tabelle und hat nun {pts} Punkte. {team2} bleibt auf Platz {rank2}.",
            "\"Wir haben das Spiel von der ersten Minute an kontrolliert und die drei Punkte verdient\", sagte Trainer {coach} nach der Partie. Die nächste Runde steht am kommenden Wochenende an.",
        ],
    },
    weather: Tpl {
        title: "Wetter: Bis zu {t2} Grad in {city} {wd}",
        paras: [
            "Die Meteorologen erwarten {wd} in der Region {city} einen {cond} Tag mit Höchstwerten zwischen {t1} und {t2} Grad Celsius.",
            "In der Nacht sinken die Temperaturen auf {t0} Grad. Der Wind aus {wdir} erreicht Geschwindigkeiten von bis zu {wind} Kilometern pro Stunde, die Regenwahrscheinlichkeit liegt bei {rain} Prozent.",
            "Nach Angaben des Wetterdienstes soll das Wetter bis zum Wochenende ähnlich bleiben. Autofahrer sollten auf Bergstraßen und in Gebieten mit Nebel besonders vorsichtig sein.",
            "Meteorologe {person} sagte, die Aussichten für die folgenden Tage seien weiterhin unsicher, die Prognosen würden am Abend aktualisiert.",
        ],
    },
    indices: &["DAX", "MDAX", "TecDAX", "SDAX"],
    teams: &["FC Rheinau", "SV Lindenberg", "TSV Oberfeld", "VfB Altstadt", "SC Bergheim", "FC Neustadt", "SpVgg Eichwald", "TuS Hohenburg"],
    cities: &["Hamburg", "Köln", "Leipzig", "Dresden", "Hannover", "Nürnberg", "Bremen", "Freiburg", "Kassel", "Rostock"],
    conds: ["überwiegend sonnigen", "bewölkten", "regnerischen", "windigen"],
    wdirs: ["Norden", "Süden", "Westen", "Osten"],
    corp_suffix: &["AG", "SE", "Holding"],
    cyrillic: false,
};

const TPL_ES: TplSet = TplSet {
    market: Tpl {
        title: "El {index} cierra en {v1} puntos y {co1} sube un {pct2} %",
        paras: [
            "El {index} cerró {wd} en {v1} puntos, una variación del {sgn}{pct} % respecto a la sesión anterior, mientras los inversores analizaban nuevos datos económicos y los últimos resultados empresariales.",
            "Las acciones de {co1} subieron un {pct2} % hasta {px} euros después de que la empresa presentara unos resultados trimestrales superiores a lo esperado por los analistas, mientras que {co2} perdió un {pct3} %.",
            "El volumen de negociación alcanzó los {vol} millones de acciones, frente a una media de {vol2} millones en las últimas treinta sesiones. El euro cotizaba a {fx} dólares.",
            "Los analistas de {co3} señalaron que el mercado seguirá pendiente de las decisiones del banco central en las próximas semanas. \"Esperamos que la volatilidad se mantenga elevada hasta la próxima reunión sobre los tipos\", afirmó {person}, estratega de la firma.",
        ],
    },
    matchr: Tpl {
        title: "El {team1} vence al {team2} por {s1}-{s2}",
        paras: [
            "El {team1} derrotó {wd} al {team2} por {s1}-{s2} en la jornada {round} de la liga ante {att} espectadores.",
            "{sc1} abrió el marcador en el minuto {m1} y {sc2} amplió la ventaja a los {m2} minutos. El {team2} recortó distancias por medio de {sc3} en el minuto {m3}.",
            "Con la victoria, el {team1} sube al puesto {rank} de la clasificación con {pts} puntos, mientras que el {team2} se mantiene en el puesto {rank2}.",
            "\"Hemos controlado el partido desde el primer minuto y merecíamos los tres puntos\", declaró el entrenador {coach} al término del encuentro. La próxima jornada se disputará el fin de semana.",
        ],
    },
    weather: Tpl {
        title: "El tiempo: hasta {t2} grados en {city} {wd}",
        paras: [
            "Los meteorólogos prevén {wd} una jornada {cond} en la región de {city}, con temperaturas diurnas de entre {t1} y {t2} grados.",
            "Por la noche las temperaturas bajarán hasta los {t0} grados. El viento del {wdir} soplará con rachas de hasta {wind} kilómetros por hora y la probabilidad de precipitaciones es del {rain} %.",
            "La agencia meteorológica indicó que la situación se mantendrá similar hasta el fin de semana. Se recomienda a los conductores extremar la precaución en las carreteras de montaña y en las zonas con niebla.",
            "El meteorólogo {person} explicó que la previsión para los próximos días sigue siendo incierta y que se actualizará por la tarde.",
        ],
    },
    indices: &["IBEX 35", "IBEX Medium Cap", "Latibex"],
    teams: &["Real Valverde", "Atlético Montero", "Deportivo Sierra", "Racing Almendral", "CD Robledo", "Unión Costa", "Sporting Olivar", "Club Arenales"],
    cities: &["Sevilla", "Valencia", "Bilbao", "Zaragoza", "Málaga", "Murcia", "Valladolid", "Granada", "Oviedo", "Alicante"],
    conds: ["mayormente soleada", "nublada", "lluviosa", "ventosa"],
    wdirs: ["norte", "sur", "oeste", "este"],
    corp_suffix: &["SA", "Grupo"],
    cyrillic: false,
};

const TPL_IT: TplSet = TplSet {
    market: Tpl {
        title: "Il {index} chiude a {v1} punti, {co1} guadagna il {pct2}%",
        paras: [
            "Il {index} ha chiuso {wd} a {v1} punti, con una variazione del {sgn}{pct}% rispetto alla seduta precedente, mentre gli investitori valutavano i nuovi dati economici e gli ultimi risultati societari.",
            "I titoli di {co1} sono saliti del {pct2}% a {px} euro dopo che la società ha presentato conti trimestrali superiori alle attese degli analisti, mentre {co2} ha perso il {pct3}%.",
            "Il volume degli scambi ha raggiunto {vol} milioni di azioni, contro una media di {vol2} milioni nelle ultime trenta sedute. L'euro è stato scambiato a {fx} dollari.",
            "Gli analisti di {co3} ritengono che il mercato resterà sensibile alle decisioni della banca centrale nelle prossime settimane. \"Ci aspettiamo che la volatilità resti elevata fino alla prossima riunione sui tassi\", ha detto {person}, strategist della società.",
        ],
    },
    matchr: Tpl {
        title: "Il {team1} batte il {team2} {s1}-{s2}",
        paras: [
            "Il {team1} ha battuto {wd} il {team2} per {s1}-{s2} nella {round}ª giornata di campionato davanti a {att} spettatori.",
            "{sc1} ha aperto le marcature al {m1}' e {sc2} ha raddoppiato dopo {m2} minuti. Il {team2} ha accorciato le distanze con {sc3} al {m3}'.",
            "Con questa vittoria il {team1} sale al {rank}° posto in classifica con {pts} punti, mentre il {team2} resta al {rank2}° posto.",
            "\"Abbiamo controllato la partita dal primo minuto e meritavamo i tre punti\", ha dichiarato l'allenatore {coach} al termine della gara. La prossima giornata è in programma nel fine settimana.",
        ],
    },
    weather: Tpl {
        title: "Meteo: fino a {t2} gradi a {city} {wd}",
        paras: [
            "I meteorologi prevedono per {wd} una giornata {cond} nella zona di {city}, con temperature diurne comprese tra {t1} e {t2} gradi.",
            "Nella notte le temperature scenderanno fino a {t0} gradi. Il vento da {wdir} soffierà fino a {wind} chilometri orari e la probabilità di precipitazioni è del {rain}%.",
            "Il servizio meteorologico ha spiegato che la situazione resterà simile fino al fine settimana. Agli automobilisti si raccomanda particolare prudenza sulle strade di montagna e nelle zone con nebbia.",
            "Il meteorologo {person} ha detto che le previsioni per i prossimi giorni restano incerte e che saranno aggiornate in serata.",
        ],
    },
    indices: &["FTSE MIB", "FTSE Italia All-Share", "FTSE Italia Star"],
    teams: &["Sporting Valdora", "Atletico Montebello", "Virtus Lagonero", "Pro Castelverde", "Real Sanmarco", "Union Ripalta", "Audace Borgonuovo", "Fortitudo Vallesina"],
    cities: &["Torino", "Bologna", "Firenze", "Genova", "Bari", "Verona", "Padova", "Trieste", "Perugia", "Cagliari"],
    conds: ["prevalentemente soleggiata", "nuvolosa", "piovosa", "ventosa"],
    wdirs: ["nord", "sud", "ovest", "est"],
    corp_suffix: &["SpA", "Group"],
    cyrillic: false,
};

const TPL_CS: TplSet = TplSet {
    market: Tpl {
        title: "Index {index} uzavřel na {v1} bodech, akcie {co1} posílily o {pct2} %",
        paras: [
            "Index {index} {wd} uzavřel na {v1} bodech, což je změna o {sgn}{pct} procenta oproti předchozímu obchodnímu dni. Investoři vyhodnocovali nová hospodářská data a nejnovější výsledky firem.",
            "Akcie společnosti {co1} posílily o {pct2} procenta na {px} korun poté, co firma zveřejnila čtvrtletní výsledky nad očekáváním analytiků. Akcie {co2} naopak ztratily {pct3} procenta.",
            "Objem obchodů dosáhl {vol} milionu akcií, zatímco v posledních třiceti seancích činil průměrně {vol2} milionu. Koruna se obchodovala za {fx} za euro.",
            "Analytici společnosti {co3} uvedli, že trh bude v příštích týdnech citlivě reagovat na rozhodnutí centrální banky. \"Očekáváme, že volatilita zůstane vysoká až do příštího měnového zasedání,\" řekl stratég firmy {person}.",
        ],
    },
    matchr: Tpl {
        title: "{team1} porazil {team2} {s1}:{s2}",
        paras: [
            "Fotbalisté týmu {team1} {wd} porazili v {round}. kole ligy celek {team2} {s1}:{s2}. Utkání sledovalo {att} diváků.",
            "Skóre otevřel v {m1}. minutě {sc1}, po {m2} minutách přidal další gól {sc2}. Hosté snížili v {m3}. minutě zásluhou hráče {sc3}.",
            "Díky výhře se tým {team1} posunul na {rank}. místo tabulky se ziskem {pts} bodů, celek {team2} zůstává na {rank2}. místě.",
            "\"Od první minuty jsme měli zápas pod kontrolou a tři body jsme si zasloužili,\" řekl po utkání trenér {coach}. Další kolo je na programu o víkendu.",
        ],
    },
    weather: Tpl {
        title: "Počasí: {wd} až {t2} °C v oblasti {city}",
        paras: [
            "Meteorologové očekávají {wd} v oblasti {city} {cond} den s denními teplotami mezi {t1} a {t2} stupni Celsia.",
            "V noci teploty klesnou na {t0} stupňů. Vítr od {wdir} bude dosahovat rychlosti až {wind} kilometrů za hodinu a pravděpodobnost srážek je {rain} procent.",
            "Podle meteorologické služby by se počasí do víkendu nemělo výrazně měnit. Řidiči by měli být opatrní zejména na horských silnicích a v oblastech s mlhou.",
            "Meteorolog {person} uvedl, že výhled na další dny zůstává nejistý a předpověď bude večer aktualizována.",
        ],
    },
    indices: &["PX", "PX-TR", "PX-GLOB"],
    teams: &["Slavoj Horní Lhota", "Sokol Dolany", "Baník Rovná", "Jiskra Březová", "Spartak Lipník", "Dynamo Hradiště", "Tatran Podolí", "Viktorie Kamenná"],
    cities: &["Praha", "Brno", "Ostrava", "Plzeň", "Olomouc", "Liberec", "Pardubice", "Zlín", "Jihlava", "Karlovy Vary"],
    conds: ["převážně slunečný", "oblačný", "deštivý", "větrný"],
    wdirs: ["severu", "jihu", "západu", "východu"],
    corp_suffix: &["a.s.", "Group"],
    cyrillic: false,
};

const TPL_HU: TplSet = TplSet {
    market: Tpl {
        title: "{index}: {v1} ponton zárt a piac, a {co1} {pct2} százalékot emelkedett",
        paras: [
            "A {index} index {wd} {v1} ponton zárt, ami {sgn}{pct} százalékos változás az előző kereskedési naphoz képest. A befektetők az új gazdasági adatokat és a legfrissebb vállalati eredményeket értékelték.",
            "A {co1} részvényei {pct2} százalékkal {px} forintra emelkedtek, miután a társaság az elemzői várakozásokat meghaladó negyedéves eredményt tett közzé, a {co2} papírjai viszont {pct3} százalékot veszítettek.",
            "A forgalom {vol} millió részvény volt, szemben az elmúlt harminc kereskedési nap {vol2} milliós átlagával. Az euró {fx} forinton állt.",
            "A {co3} elemzői szerint a piac a következő hetekben érzékenyen reagál majd a jegybank döntéseire. \"Arra számítunk, hogy a volatilitás a következő kamatdöntő ülésig magas marad\" – mondta {person}, a cég stratégája.",
        ],
    },
    matchr: Tpl {
        title: "{s1}:{s2} – győzött a {team1} a {team2} ellen",
        paras: [
            "A {team1} {wd} {s1}:{s2} arányban legyőzte a {team2} csapatát a bajnokság {round}. fordulójában, {att} néző előtt.",
            "A mérkőzés {m1}. percében {sc1} szerzett vezetést, majd {m2} perc elteltével {sc2} növelte az előnyt. A {team2} a mérkőzés {m3}. percében {sc3} góljával szépített.",
            "A győzelemmel a {team1} a tabella {rank}. helyére lépett előre {pts} ponttal, a {team2} továbbra is a {rank2}. helyen áll.",
            "\"Az első perctől kezdve mi irányítottuk a játékot, és megérdemeltük a három pontot\" – mondta a találkozó után {coach} vezetőedző. A következő fordulót a hétvégén rendezik.",
        ],
    },
    weather: Tpl {
        title: "Időjárás: {wd} akár {t2} fok is lehet {city} térségében",
        paras: [
            "A meteorológusok {wd} {cond} időt várnak {city} térségében, a nappali hőmérséklet {t1} és {t2} fok között alakul.",
            "Éjszaka a hőmérséklet {t0} fokra csökken. A szél {wdir} irányból fúj, sebessége óránként akár {wind} kilométer is lehet, a csapadék valószínűsége {rain} százalék.",
            "Az országos meteorológiai szolgálat szerint az időjárás a hétvégéig nem változik jelentősen. Az autósoknak különösen a hegyi utakon és a ködös területeken ajánlott óvatosan közlekedni.",
            "{person} meteorológus elmondta, hogy a következő napokra vonatkozó előrejelzés továbbra is bizonytalan, azt este frissítik.",
        ],
    },
    indices: &["BUX", "BUMIX", "CETOP"],
    teams: &["Kisvárdai FC", "Balatoni SE", "Szentesi TE", "Pataki SC", "Tiszai VSE", "Dunai FC", "Vértesi SK", "Mátrai SE"],
    cities: &["Debrecen", "Szeged", "Miskolc", "Pécs", "Győr", "Nyíregyháza", "Kecskemét", "Székesfehérvár", "Szombathely", "Sopron"],
    conds: ["többnyire napos", "felhős", "esős", "szeles"],
    wdirs: ["északi", "déli", "nyugati", "keleti"],
    corp_suffix: &["Nyrt.", "Zrt."],
    cyrillic: false,
};

const TPL_RU: TplSet = TplSet {
    market: Tpl {
        title: "Индекс {index} закрылся на отметке {v1} пункта, акции {co1} выросли на {pct2}%",
        paras: [
            "Индекс {index} {wd} закрылся на отметке {v1} пункта, изменившись на {sgn}{pct}% по сравнению с предыдущей сессией. Инвесторы оценивали новые экономические данные и последние результаты компаний.",
            "Акции компании {co1} подорожали на {pct2}% до {px} рубля после того, как компания опубликовала квартальные результаты выше ожиданий аналитиков, тогда как бумаги {co2} потеряли {pct3}%.",
            "Объём торгов составил {vol} млн акций при среднем показателе {vol2} млн за последние тридцать сессий. Евро торговался по {fx} рубля.",
            "Аналитики {co3} считают, что в ближайшие недели рынок будет чутко реагировать на решения центрального банка. \"Мы ожидаем, что волатильность останется высокой до следующего заседания по ставке\", – сказал стратег компании {person}.",
        ],
    },
    matchr: Tpl {
        title: "{team1} обыграл {team2} со счётом {s1}:{s2}",
        paras: [
            "{team1} {wd} обыграл {team2} со счётом {s1}:{s2} в {round}-м туре чемпионата в присутствии {att} зрителей.",
            "На {m1}-й минуте счёт открыл {sc1}, а спустя {m2} минут {sc2} забил ещё один гол. Гости сократили отставание на {m3}-й минуте благодаря голу, который забил {sc3}.",
            "После этой победы {team1} поднялся на {rank}-е место в турнирной таблице, набрав {pts} очков, а {team2} остаётся на {rank2}-м месте.",
            "\"Мы контролировали игру с первой минуты и заслужили три очка\", – сказал после матча главный тренер {coach}. Следующий тур пройдёт в выходные.",
        ],
    },
    weather: Tpl {
        title: "Погода: {wd} до {t2} градусов в регионе {city}",
        paras: [
            "Синоптики прогнозируют {wd} в регионе {city} {cond} погоду, днём температура составит от {t1} до {t2} градусов.",
            "Ночью температура опустится до {t0} градусов. Ветер {wdir} будет достигать скорости до {wind} километров в час, вероятность осадков составляет {rain}%.",
            "По данным метеослужбы, до выходных погода существенно не изменится. Водителям рекомендуют соблюдать особую осторожность на горных дорогах и в районах с туманом.",
            "Синоптик {person} отметил, что прогноз на ближайшие дни остаётся неопределённым и будет уточнён вечером.",
        ],
    },
    indices: &["РТС", "ММВБ", "МосБиржи"],
    teams: &["Спартак", "Зенит", "Локомотив", "Динамо", "Ростов", "Урал", "Торпедо", "Амкар", "Факел", "Сокол"],
    cities: &["Москва", "Казань", "Новосибирск", "Екатеринбург", "Самара", "Воронеж", "Пермь", "Ярославль", "Томск", "Калининград"],
    conds: ["преимущественно солнечную", "облачную", "дождливую", "ветреную"],
    wdirs: ["северный", "южный", "западный", "восточный"],
    corp_suffix: &["ПАО", "АО"],
    cyrillic: true,
};

fn tpl_for(code: &str) -> &'static TplSet {
    match code {
        "de" => &TPL_DE,
        "es" => &TPL_ES,
        "it" => &TPL_IT,
        "cs" => &TPL_CS,
        "hu" => &TPL_HU,
        "ru" => &TPL_RU,
        _ => &TPL_EN,
    }
}

const NETWORK_NAMES: &[&str] = &[
    "Meridian Media Group",
    "Vltava Media",
    "Nordlicht Medien",
    "Iberia Digital",
    "Aurora Press Network",
    "Danubia Media",
    "Baltic News Network",
    "Adriatica Media",
    "Helios Publishing",
    "Centauri News Alliance",
];

// ---------------------------------------------------------------------------
// Word lists for --generated (synthetic English news text).
// ---------------------------------------------------------------------------

const G_NOUNS: &str = "government minister council company market police court report plan project budget election vote party leader official agency bank economy price rate tax law bill policy school hospital city region country border bridge road railway airport factory worker union strike protest deal agreement investigation trial judge witness fire storm flood season team match player coach club stadium festival museum exhibition film director study researcher university scientist survey energy gas oil plant water drought farmer crop harvest tourism visitor hotel housing rent mortgage pension vaccine virus patient doctor nurse emergency ambulance village mayor district resident neighbourhood park street traffic accident driver vehicle train bus ticket fare profit revenue loss investor stock export import trade tariff currency inflation wage job contract tender construction sector industry product service customer network phone software platform security attack army soldier ship weapon conflict ceasefire refugee aid charity donation church student teacher exam library book author award prize ceremony concert singer band album audience record scandal allegation resignation interview statement campaign candidate poll majority coalition opposition parliament committee hearing reform proposal regulation ban permit licence fine penalty appeal sentence prison suspect arrest raid evidence crime victim family child parent court shortage supply demand forecast estimate deficit surplus loan debt bond grant subsidy fund reserve port harbour canal tunnel highway motorway lane junction station terminal warehouse mine quarry forest river lake coast island valley mountain summit treaty sanction embassy delegation negotiation talks vote referendum ballot turnout ceremony anniversary memorial monument cathedral castle palace square avenue district suburb estate farm vineyard brewery bakery restaurant market supermarket shop mall cinema theatre orchestra choir opera ballet gallery painting sculpture novel poem manuscript archive newspaper magazine broadcaster channel website app startup laboratory clinic pharmacy surgery therapy diagnosis outbreak epidemic infection symptom treatment hospitalisation wildfire earthquake landslide avalanche heatwave blizzard hurricane tornado glacier reservoir pipeline refinery turbine reactor grid battery charger satellite rocket telescope spacecraft asteroid fossil skeleton species habitat reserve wolf bear eagle salmon bee forestry fishing quota emission pollution recycling waste landfill sewage flooding embankment dam levee lighthouse ferry cargo container crane dock shipyard runway aircraft helicopter drone pilot crew passenger commuter cyclist pedestrian tram metro carriage locomotive signal barrier checkpoint customs smuggling fraud bribery embezzlement laundering hacker breach password outage blackout ransom kidnapping robbery burglary assault shooting stabbing riot curfew lockdown quarantine tribunal verdict acquittal conviction parole bail inquiry ombudsman auditor regulator watchdog inspector lobbyist donor sponsor volunteer pensioner tenant landlord homeowner developer architect engineer contractor plumber electrician miner fisherman shepherd chef waiter athlete sprinter goalkeeper striker referee tournament championship league semifinal marathon regatta derby transfer injury comeback retirement debut premiere festival carnival parade pilgrimage";
const G_VERBS: &str = "announce approve reject criticise welcome confirm deny warn promise launch open close sign propose delay postpone cancel increase reduce raise expand block back question defend investigate discover report reveal publish estimate predict expect demand urge order suspend introduce complete reach secure receive collect visit host join review extend restore replace improve support oppose challenge accept consider examine debate adopt renew monitor inspect target attract fund limit abandon acquire adjust allocate analyse appoint approve arrange assess authorise award borrow calculate celebrate clarify commission compensate compile condemn contest convince coordinate cover delay deliver demolish deploy design detain document donate double downgrade draft employ endorse enforce evacuate evaluate exclude export finance halt honour hire import insure interview invite lease license locate lower mark merge negotiate nominate notify oblige organise outline overhaul pardon permit pledge post prepare preserve prioritise privatise produce prohibit promote protect question recall recommend recover recruit redesign register reinforce relocate remove rename repeat request rescue reserve resume retain reverse revise reward schedule settle share shift simplify stabilise subsidise summon supply survey sustain tackle test track transfer transform triple upgrade validate vote waive";
const G_ADJS: &str = "new former national local regional European federal public private major small large key senior independent official final annual early late recent previous next controversial temporary significant strong weak rising falling record historic joint rural urban digital foreign domestic economic political financial legal military medical environmental industrial commercial municipal emergency special interim preliminary detailed unexpected widespread growing long-term short-term cross-border acute ambitious annual anonymous armed autonomous bilateral binding bitter brief broad busy central chronic civil coastal colonial competitive complex confidential costly crucial cultural daily dangerous decisive deep diplomatic disputed dramatic eastern elderly electoral ethnic experimental extensive fierce fiscal fragile frequent generous global gradual heavy hidden hostile illegal immediate informal initial innovative intense internal isolated junior landmark lengthy liberal massive mobile modest monthly mountainous narrow nearby northern nuclear offshore ongoing organic overnight parliamentary partial peaceful permanent popular postal powerful prominent provincial radical rapid rare regulatory remote renewable residential retired rival routine scientific seasonal secret sensitive severe southern stable strategic structural sudden surprising symbolic tense tight traditional tropical unanimous unpaid urgent vacant violent vital voluntary vulnerable weekly western";
const G_FIRST: &str = "James Sarah Michael Emma David Laura Peter Anna Robert Helen Thomas Claire Daniel Maria John Lisa Mark Julia Paul Karen Simon Alice George Nina Victor Irene Oscar Rosa Adam Eva";
const G_SYL: &str = "al an ar ba bel bor ca cor da del dor el en fa fer gal gor ha hal in ka kel la lin lor ma mar mel na nor o pa per ra ren ri sa sel sor ta tel tor va vel wen za bro cra dra fro gra pro tra ste ski lo mi nu";
const G_PLACE_SUF: &str = "ville ton burg field ford port stad ia wick mouth dale haven";
const G_LAST_SUF: &str = "son ley ton er ez ski berg ford well man";
const G_ORG_NOUNS: &[&str] = &[
    "City Council",
    "Water Authority",
    "Police Department",
    "University",
    "Chamber of Commerce",
    "Transport Agency",
    "Health Board",
    "Energy Company",
    "Savings Bank",
    "Football Club",
    "Port Authority",
    "District Court",
];
const G_MINISTRIES: &[&str] = &[
    "Finance",
    "Health",
    "Transport",
    "Defence",
    "Education",
    "Agriculture",
    "Justice",
    "Energy",
    "the Interior",
    "Labour",
];
const G_CORP: &[&str] = &[
    "Industries",
    "Group",
    "Holdings",
    "Motors",
    "Systems",
    "Foods",
    "Logistics",
    "Energy",
];
const G_ROLES: &[&str] = &[
    "director",
    "head",
    "spokesperson",
    "chairman",
    "deputy director",
    "press officer",
    "chief executive",
    "president",
];
const G_MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const G_WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

const DEFAULT_FROM: &str = "../shared/eval/news-base/articles.jsonl";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Adversarial {
    /// Every second article is an exact copy of the first article.
    ExactHalf,
    /// Every article is its story's short brief above one long footer shared by all.
    SharedFooter,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Txt,
    Jsonl,
}

#[derive(Parser, Debug, Clone)]
#[command(
    name = "synth",
    about = "Deterministic generator of news-reprint corpora with ground truth",
    after_help = "Outputs DIR/corpus/<site>/<slug>.txt (or DIR/corpus.jsonl), DIR/truth.jsonl, DIR/meta.jsonl, DIR/hard_negatives.jsonl, DIR/synth.json"
)]
struct Args {
    /// Output directory
    #[arg(long)]
    out: PathBuf,
    /// Original articles, JSON Lines {id, doc, lang, title, text} [default: ../shared/eval/news-base/articles.jsonl]
    #[arg(long, conflicts_with = "generated")]
    from: Option<PathBuf>,
    /// Use built-in synthetic English news text instead of --from
    #[arg(long)]
    generated: bool,
    /// Language of the originals (one per doc): cs, de, es, hu, it, ru, or any (random per doc)
    #[arg(long, default_value = "any")]
    lang: String,
    /// Number of distinct stories (regular + briefs + template stories)
    #[arg(long, default_value_t = 600)]
    stories: usize,
    /// Number of sources (sites)
    #[arg(long, default_value_t = 25)]
    sources: usize,
    /// Random seed
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Txt)]
    format: Format,
    /// Body length in words for --generated regular stories, MIN:MAX
    #[arg(long, default_value = "150:900")]
    words: String,
    /// Exactly N articles (overrides --stories: up to N stories are planned, published in order
    /// until N copies exist)
    #[arg(long)]
    articles: Option<usize>,
    /// Adversarial corpus for the speed benchmark
    #[arg(long, value_enum)]
    adversarial: Option<Adversarial>,
    /// Share (0..1) of real regular stories (doc with 2+ language versions) also published in
    /// another language version of their doc: 1-3 translated copies, same truth cluster
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    translations: f64,
    /// Share (0..1) of translated stories given a same-event hard negative: another doc's text in
    /// another language with the story's names and numbers substituted in
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    same_event: f64,
    /// Share (0..1) of copies published instead on long-tail sites, each seen once or twice: a
    /// platform's consent paragraph above the headline and newsletter pitch after the first
    /// paragraph (in the lede window of a brief), a plain-text footer whose sentences recur on the
    /// platform's other sites, and hard wraps that reach the menu and dateline
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    long_tail: f64,
    /// Length in words of the official statement a statement pair of stories both quote,
    /// MIN:MAX (real news only). Longer statements make the pairs alike enough to be taken for
    /// reprints of each other
    #[arg(long, default_value = "45:90", value_name = "MIN:MAX")]
    statement_words: String,
}

// RNG streams: every story draws from its own stream, so output does not depend on
// scheduling (rayon) and a story's text does not shift when another story changes.
const P_PLAN: u64 = 1;
const P_TOPIC: u64 = 2;
const P_TITLE: u64 = 3;
const P_BODY: u64 = 4;
const P_COPY: u64 = 5;
/// Whether a story is translated, into which versions, on which sites (one stream per story).
const P_TRANS: u64 = 6;
/// The noise of a story's translated copies (kept apart from P_COPY so the other copies do not
/// change when translations are turned on).
const P_TCOPY: u64 = 7;
/// Whether a translated story gets a same-event negative, its language and sites.
const P_EVENT: u64 = 8;
/// The substitution of names and numbers into a same-event negative's text.
const P_EVENT_TEXT: u64 = 9;
/// `--long-tail`: which copies move to long-tail sites, and those sites' pages.
const P_TAIL: u64 = 10;

fn rng_for(seed: u64, purpose: u64, idx: u64) -> ChaCha8Rng {
    let mut r = ChaCha8Rng::seed_from_u64(
        seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ purpose.wrapping_mul(0xD1B5_4A32_D192_ED03),
    );
    r.set_stream(idx);
    r
}

// ---------------------------------------------------------------------------
// Data model
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Regular,
    Brief,
    /// 0 market close, 1 match result, 2 weather
    Template(u8),
    /// `--same-event`: another doc's text in another language, with the names and numbers of a
    /// translated story substituted in (a hard negative, its own story)
    SameEvent,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Regular => "regular",
            Kind::Brief => "brief",
            Kind::Template(0) => "template-market",
            Kind::Template(1) => "template-match",
            Kind::Template(_) => "template-weather",
            Kind::SameEvent => "same-event",
        }
    }
}

/// One language version of a doc: (lang, title, paragraphs).
type Version = (&'static str, String, Vec<String>);

struct Doc {
    key: String,
    /// sorted by lang
    versions: Vec<Version>,
}

struct Story {
    kind: Kind,
    lang: &'static str,
    /// index into docs and into that doc's versions
    doc: Option<(u32, u16)>,
    title: String,
    sites: Vec<u16>,
    day: u32,
    /// shared statement: (index into statements, relative position)
    statement: Option<(u32, f32)>,
    /// `--translations`: copies in other language versions of the doc, published after the
    /// copies of `sites`: (version index, site)
    tcopies: Vec<(u16, u16)>,
    /// `Kind::SameEvent`: (the translated story whose names and numbers it takes, that story's
    /// doc version in this story's language)
    event: Option<(u32, u16)>,
}

struct Content {
    title: String,
    paras: Vec<String>,
}

struct Related {
    label: String,
    bullet: &'static str,
    min: usize,
    max: usize,
}

struct Site {
    dir: String,
    name: String,
    domain: String,
    tab: &'static Tab,
    generic: bool,
    banner: Vec<String>,
    crumb_sep: Option<&'static str>,
    byline_style: u8,
    date_fmt: u8,
    share: Option<String>,
    share_top: bool,
    footer: String,
    long_footer: bool,
    network: Option<usize>,
    related: Option<Related>,
    para_sep: &'static str,
    quote_pref: usize,
    dash_pref: usize,
    p_wrap: f64,
    p_entities: f64,
    ad_every: usize,
    photo_credit: bool,
    authors: Vec<String>,
    slug_style: u8,
    title_suffix: Option<String>,
    crlf: bool,
    weight: f64,
    /// `--long-tail`: the platform texts of a site seen once or twice (none on other sites).
    tail: Option<TailPage>,
}

/// What a long-tail site's pages carry besides the regular chrome: texts of the platform (a
/// hosting company or CMS shared by many small sites) that fall inside a brief's opening lines.
struct TailPage {
    /// Consent paragraph above the headline, verbatim on every site of the platform.
    consent: String,
    /// Newsletter pitch after the story's first paragraph, verbatim on the platform.
    pitch: String,
}

struct Art {
    story: u32,
    copy: u16,
    /// language of the text (differs from the story's for a translated copy)
    lang: &'static str,
    site: u16,
    slug: String,
    title: String,
    text: String,
    tags: Vec<&'static str>,
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

fn intern(s: &str) -> &'static str {
    const KNOWN: &[&str] = &["en", "fr", "de", "es", "it", "cs", "hu", "ru"];
    for k in KNOWN {
        if *k == s {
            return k;
        }
    }
    Box::leak(s.to_string().into_boxed_str())
}

fn pick<'a, T: ?Sized>(rng: &mut ChaCha8Rng, xs: &'a [&'a T]) -> &'a T {
    xs[rng.gen_range(0..xs.len())]
}

fn words_of(s: &str) -> usize {
    s.split_whitespace().count()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn cut_words(s: &str, n: usize) -> String {
    let ws: Vec<&str> = s.split_whitespace().collect();
    if ws.len() <= n {
        return s.to_string();
    }
    let mut out = ws[..n].join(" ");
    while out.ends_with([',', ';', ':', '-', '–']) {
        out.pop();
    }
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

fn translit(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "j",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "c",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "sch",
        'ъ' => "",
        'ы' => "y",
        'ь' => "",
        'э' => "e",
        'ю' => "ju",
        'я' => "ja",
        'ß' => "ss",
        'ł' => "l",
        'ø' => "o",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

/// ASCII slug of at most `max_words` words.
fn slugify(s: &str, max_words: usize) -> String {
    let mut out = String::new();
    let mut words = 0;
    let mut dash = false;
    for c in s.to_lowercase().nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let piece: Option<String> = if c.is_ascii_alphanumeric() {
            Some(c.to_string())
        } else {
            translit(c).map(|t| t.to_string())
        };
        match piece {
            Some(p) if !p.is_empty() => {
                if dash && !out.is_empty() {
                    words += 1;
                    if words >= max_words {
                        break;
                    }
                    out.push('-');
                }
                dash = false;
                out.push_str(&p);
            }
            Some(_) => {}
            None => dash = true,
        }
        if out.len() > 70 {
            break;
        }
    }
    if out.is_empty() {
        "article".to_string()
    } else {
        out
    }
}

/// (year, month 1-12, day 1-31, weekday 0=Monday) for a day index counted from 2008-01-01.
fn date_of(day: u32) -> (u32, usize, u32, usize) {
    let mut d = day;
    let mut y = 2008;
    loop {
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        let len = if leap { 366 } else { 365 };
        if d < len {
            let ml = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            let mut m = 0;
            while d >= ml[m] {
                d -= ml[m];
                m += 1;
            }
            // 2008-01-01 was a Tuesday
            return (y, m + 1, d + 1, ((day + 1) % 7) as usize);
        }
        d -= len;
        y += 1;
    }
}

fn fmt_date(tab: &Tab, fmt: u8, day: u32) -> String {
    let (y, m, d, _) = date_of(day);
    match fmt {
        1 => format!("{d:02}.{m:02}.{y}"),
        2 => format!("{y}-{m:02}-{d:02}"),
        3 if tab.code == "en" => format!("{m:02}/{d:02}/{y}"),
        _ => {
            let mn = tab.months[m - 1];
            match tab.date_style {
                1 => format!("{d}. {mn} {y}"),
                2 => format!("{y}. {mn} {d}."),
                3 => format!("{d} de {mn} de {y}"),
                _ => format!("{d} {mn} {y}"),
            }
        }
    }
}

/// Number with thousands grouping and decimals in the language's style.
fn fmt_num(x: f64, decimals: usize, lang: &str) -> String {
    let (tsep, dsep) = match lang {
        "en" => (",", "."),
        "de" | "es" | "it" => (".", ","),
        _ => (" ", ","),
    };
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match s.split_once('.') {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    let n = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 && n > 4 {
            grouped.push_str(tsep);
        }
        grouped.push(c);
    }
    let mut out = if x < 0.0 {
        format!("-{grouped}")
    } else {
        grouped
    };
    if let Some(f) = frac {
        out.push_str(dsep);
        out.push_str(&f);
    }
    out
}

// ---------------------------------------------------------------------------
// Real originals
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
struct InArticle {
    #[allow(dead_code)]
    id: String,
    doc: String,
    lang: String,
    title: String,
    text: String,
}

fn paragraphs(title: &str, text: &str) -> Vec<String> {
    let mut ps: Vec<String> = text
        .split('\n')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    if ps
        .first()
        .map(|p| p.trim() == title.trim())
        .unwrap_or(false)
    {
        ps.remove(0);
    }
    ps
}

fn load_docs(path: &Path) -> Result<Vec<Doc>, String> {
    let f = fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut by_doc: BTreeMap<String, Vec<Version>> = BTreeMap::new();
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let a: InArticle = serde_json::from_str(&line)
            .map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        let paras = paragraphs(&a.title, &a.text);
        if paras.is_empty() {
            continue;
        }
        by_doc
            .entry(a.doc)
            .or_default()
            .push((intern(&a.lang), a.title, paras));
    }
    Ok(by_doc
        .into_iter()
        .map(|(key, mut versions)| {
            versions.sort_by(|a, b| a.0.cmp(b.0).then_with(|| a.1.cmp(&b.1)));
            Doc { key, versions }
        })
        .collect())
}

/// A word-bigram Markov chain per language, for "update" paragraphs appended to real stories.
struct Chain {
    words: Vec<String>,
    next: Vec<Vec<u32>>,
    starts: Vec<u32>,
}

impl Chain {
    fn build<'a>(paras: impl Iterator<Item = &'a String>) -> Chain {
        let mut ids: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        let mut words: Vec<String> = Vec::new();
        let mut next: Vec<Vec<u32>> = Vec::new();
        let mut starts = Vec::new();
        for p in paras {
            let mut prev: Option<u32> = None;
            for w in p.split_whitespace() {
                let id = *ids.entry(w.to_string()).or_insert_with(|| {
                    words.push(w.to_string());
                    next.push(Vec::new());
                    (words.len() - 1) as u32
                });
                match prev {
                    Some(p) => next[p as usize].push(id),
                    None => starts.push(id),
                }
                prev = if w.ends_with('.') || w.ends_with('?') || w.ends_with('!') {
                    None
                } else {
                    Some(id)
                };
            }
        }
        Chain {
            words,
            next,
            starts,
        }
    }

    fn sentence(&self, rng: &mut ChaCha8Rng, min: usize, max: usize) -> String {
        let mut out: Vec<&str> = Vec::new();
        if self.starts.is_empty() {
            return String::new();
        }
        let mut cur = self.starts[rng.gen_range(0..self.starts.len())];
        loop {
            let w = &self.words[cur as usize];
            out.push(w);
            let end = w.ends_with('.') || w.ends_with('?') || w.ends_with('!');
            if (end && out.len() >= min) || out.len() >= max {
                break;
            }
            let nx = &self.next[cur as usize];
            if nx.is_empty() || end {
                cur = self.starts[rng.gen_range(0..self.starts.len())];
            } else {
                cur = nx[rng.gen_range(0..nx.len())];
            }
        }
        let mut s = capitalize(&out.join(" "));
        while s.ends_with([',', ';', ':']) {
            s.pop();
        }
        if !s.ends_with(['.', '?', '!']) {
            s.push('.');
        }
        s
    }

    fn paragraph(&self, rng: &mut ChaCha8Rng) -> String {
        let n = rng.gen_range(1..=3);
        (0..n)
            .map(|_| self.sentence(rng, 8, 30))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

// ---------------------------------------------------------------------------
// Synthetic English news (--generated)
// ---------------------------------------------------------------------------

struct Lex {
    nouns: Vec<&'static str>,
    verbs: Vec<&'static str>,
    adjs: Vec<&'static str>,
    first: Vec<&'static str>,
    syl: Vec<&'static str>,
    place_suf: Vec<&'static str>,
    last_suf: Vec<&'static str>,
}

impl Lex {
    fn new() -> Lex {
        let sp = |s: &'static str| s.split_whitespace().collect::<Vec<_>>();
        Lex {
            nouns: sp(G_NOUNS),
            verbs: sp(G_VERBS),
            adjs: sp(G_ADJS),
            first: sp(G_FIRST),
            syl: sp(G_SYL),
            place_suf: sp(G_PLACE_SUF),
            last_suf: sp(G_LAST_SUF),
        }
    }

    fn name(&self, rng: &mut ChaCha8Rng, lo: usize, hi: usize) -> String {
        let syl = rng.gen_range(lo..=hi);
        let mut s = String::new();
        for _ in 0..syl {
            s.push_str(self.syl[rng.gen_range(0..self.syl.len())]);
        }
        capitalize(&s)
    }

    fn zipf(&self, rng: &mut ChaCha8Rng, xs: &[&'static str]) -> &'static str {
        let u: f64 = rng.gen();
        xs[(u.powf(1.4) * xs.len() as f64) as usize % xs.len()]
    }
}

fn past(v: &str) -> String {
    if v.ends_with('e') {
        format!("{v}d")
    } else if v.ends_with('y') && !v.ends_with("ay") && !v.ends_with("ey") && !v.ends_with("oy") {
        format!("{}ied", &v[..v.len() - 1])
    } else {
        format!("{v}ed")
    }
}

fn third(v: &str) -> String {
    if v.ends_with("ch") || v.ends_with("sh") || v.ends_with('s') || v.ends_with('x') {
        format!("{v}es")
    } else {
        format!("{v}s")
    }
}

fn article_for(w: &str) -> &'static str {
    if w.starts_with(|c: char| "aeiouAEIOU".contains(c)) {
        "an"
    } else {
        "a"
    }
}

struct Topic {
    people: Vec<String>,
    orgs: Vec<String>,
    places: Vec<String>,
    nouns: Vec<String>,
    adjs: Vec<&'static str>,
    verbs: Vec<&'static str>,
}

fn gen_topic(lex: &Lex, rng: &mut ChaCha8Rng) -> Topic {
    let places: Vec<String> = (0..rng.gen_range(1..=3))
        .map(|_| {
            let base = lex.name(rng, 1, 2);
            if rng.gen_bool(0.6) {
                format!(
                    "{base}{}",
                    lex.place_suf[rng.gen_range(0..lex.place_suf.len())]
                )
            } else {
                lex.name(rng, 2, 3)
            }
        })
        .collect();
    let people = (0..rng.gen_range(2..=4))
        .map(|_| {
            let f = lex.first[rng.gen_range(0..lex.first.len())];
            let mut last = lex.name(rng, 1, 2);
            if rng.gen_bool(0.5) {
                last.push_str(lex.last_suf[rng.gen_range(0..lex.last_suf.len())]);
            }
            format!("{f} {last}")
        })
        .collect();
    let orgs = (0..rng.gen_range(1..=3))
        .map(|_| match rng.gen_range(0..3) {
            0 => format!(
                "the {} {}",
                places[rng.gen_range(0..places.len())],
                pick(rng, G_ORG_NOUNS)
            ),
            1 => format!("the Ministry of {}", pick(rng, G_MINISTRIES)),
            _ => format!("{} {}", lex.name(rng, 2, 2), pick(rng, G_CORP)),
        })
        .collect();
    let mut nouns: Vec<String> = (0..rng.gen_range(4..=7))
        .map(|_| lex.zipf(rng, &lex.nouns).to_string())
        .collect();
    // story-specific terms (product names, places, jargon) like real stories have
    for _ in 0..rng.gen_range(2..=4) {
        nouns.push(lex.name(rng, 2, 3).to_lowercase());
    }
    let adjs = (0..3).map(|_| lex.zipf(rng, &lex.adjs)).collect();
    let verbs = (0..4).map(|_| lex.zipf(rng, &lex.verbs)).collect();
    Topic {
        people,
        orgs,
        places,
        nouns,
        adjs,
        verbs,
    }
}

impl Topic {
    fn noun<'a>(&'a self, lex: &Lex, rng: &mut ChaCha8Rng) -> &'a str {
        if rng.gen_bool(0.5) {
            &self.nouns[rng.gen_range(0..self.nouns.len())]
        } else {
            lex.zipf(rng, &lex.nouns)
        }
    }
    fn adj(&self, lex: &Lex, rng: &mut ChaCha8Rng) -> &'static str {
        if rng.gen_bool(0.4) {
            self.adjs[rng.gen_range(0..self.adjs.len())]
        } else {
            lex.zipf(rng, &lex.adjs)
        }
    }
    fn verb(&self, lex: &Lex, rng: &mut ChaCha8Rng) -> &'static str {
        if rng.gen_bool(0.4) {
            self.verbs[rng.gen_range(0..self.verbs.len())]
        } else {
            lex.zipf(rng, &lex.verbs)
        }
    }
    fn person(&self, rng: &mut ChaCha8Rng) -> &str {
        &self.people[rng.gen_range(0..self.people.len())]
    }
    fn org(&self, rng: &mut ChaCha8Rng) -> &str {
        &self.orgs[rng.gen_range(0..self.orgs.len())]
    }
    fn place(&self, rng: &mut ChaCha8Rng) -> &str {
        &self.places[rng.gen_range(0..self.places.len())]
    }

    fn np(&self, lex: &Lex, rng: &mut ChaCha8Rng) -> String {
        let n = self.noun(lex, rng);
        if rng.gen_bool(0.4) {
            format!("the {} {n}", self.adj(lex, rng))
        } else if rng.gen_bool(0.15) {
            let a = self.adj(lex, rng);
            format!("{} {a} {n}", article_for(a))
        } else {
            format!("the {n}")
        }
    }

    fn pp(&self, lex: &Lex, rng: &mut ChaCha8Rng) -> String {
        match rng.gen_range(0..8) {
            0 => format!("in {}", self.place(rng)),
            1 => format!("on {}", pick(rng, G_WEEKDAYS)),
            2 => format!("after {}", self.np(lex, rng)),
            3 => format!("despite {}", self.np(lex, rng)),
            4 => format!("near {}", self.place(rng)),
            5 => format!("until {}", pick(rng, G_MONTHS)),
            6 => format!("amid {} {}", self.adj(lex, rng), self.noun(lex, rng)),
            _ => format!("for {}", self.np(lex, rng)),
        }
    }

    fn said(&self, rng: &mut ChaCha8Rng) -> String {
        let who = match rng.gen_range(0..4) {
            0 => self.person(rng).to_string(),
            1 => self.org(rng).to_string(),
            2 => format!(
                "{}, {} of {},",
                self.person(rng),
                pick(rng, G_ROLES),
                self.org(rng)
            ),
            _ => pick(
                rng,
                &[
                    "officials",
                    "a spokesperson",
                    "local media",
                    "analysts",
                    "witnesses",
                    "the report",
                    "organisers",
                    "critics",
                    "supporters",
                    "a source close to the talks",
                ],
            )
            .to_string(),
        };
        let verb = pick(
            rng,
            &[
                "said",
                "told reporters",
                "added",
                "noted",
                "explained",
                "confirmed",
                "claimed",
                "wrote",
                "argued",
                "warned",
                "insisted",
                "stressed",
                "told a news conference",
                "said on its website",
            ],
        );
        format!("{who} {verb}")
    }

    fn when(&self, rng: &mut ChaCha8Rng) -> String {
        match rng.gen_range(0..7) {
            0 => format!("on {}", pick(rng, G_WEEKDAYS)),
            1 => format!(
                "last {}",
                pick(
                    rng,
                    &["week", "month", "year", "autumn", "spring", "weekend"]
                )
            ),
            2 => format!("in {}", pick(rng, G_MONTHS)),
            3 => format!(
                "on {} {}",
                pick(rng, G_WEEKDAYS),
                pick(rng, &["morning", "evening", "afternoon", "night"])
            ),
            4 => pick(
                rng,
                &[
                    "earlier this week",
                    "late on Tuesday",
                    "this year",
                    "since 2009",
                    "two years ago",
                    "for the first time",
                ],
            )
            .to_string(),
            5 => format!(
                "{} days ago",
                pick(rng, &["two", "three", "four", "five", "ten"])
            ),
            _ => format!("by {}", pick(rng, G_MONTHS)),
        }
    }

    fn clause(&self, lex: &Lex, rng: &mut ChaCha8Rng) -> String {
        let subj = match rng.gen_range(0..4) {
            0 => self.person(rng).to_string(),
            1 => self.org(rng).to_string(),
            _ => self.np(lex, rng),
        };
        let aux = pick(
            rng,
            &[
                "",
                "",
                "",
                "had ",
                "has ",
                "would ",
                "could ",
                "will ",
                "is expected to ",
                "plans to ",
                "refused to ",
                "may ",
                "was ready to ",
                "agreed to ",
            ],
        );
        let v = self.verb(lex, rng);
        let vf = if aux.is_empty() {
            past(v)
        } else if aux == "had " || aux == "has " {
            format!("{aux}{}", past(v))
        } else {
            format!("{aux}{v}")
        };
        let mut c = format!("{subj} {vf} {}", self.np(lex, rng));
        if rng.gen_bool(0.6) {
            c.push(' ');
            c.push_str(&self.pp(lex, rng));
        }
        if rng.gen_bool(0.3) {
            c.push(' ');
            c.push_str(&self.when(rng));
        }
        c
    }

    fn sentence(&self, lex: &Lex, rng: &mut ChaCha8Rng) -> String {
        let s = match rng.gen_range(0..14) {
            0..=2 => format!("{}.", self.clause(lex, rng)),
            3 => format!("{}, {}.", self.clause(lex, rng), self.said(rng)),
            4 => format!("{} that {}.", self.said(rng), self.clause(lex, rng)),
            5 => format!(
                "\"{},\" {}.",
                capitalize(&self.clause(lex, rng)),
                self.said(rng)
            ),
            6 => format!(
                "{}, {}.",
                capitalize(&self.when(rng)),
                self.clause(lex, rng)
            ),
            7 => format!(
                "{} {} {} {} {} {} {}.",
                self.org(rng),
                past(self.verb(lex, rng)),
                self.np(lex, rng),
                pick(
                    rng,
                    &["worth", "costing", "of about", "totalling", "estimated at"]
                ),
                fmt_num(rng.gen_range(2.0..900.0), rng.gen_range(0..2), "en"),
                pick(rng, &["million", "billion", "thousand"]),
                pick(rng, &["dollars", "euros", "pounds", "crowns"])
            ),
            8 => format!(
                "{} {} {} {} {}.",
                pick(
                    rng,
                    &[
                        "About",
                        "Nearly",
                        "More than",
                        "Fewer than",
                        "Some",
                        "At least"
                    ]
                ),
                fmt_num(rng.gen_range(3.0..20000.0), 0, "en"),
                pick(
                    rng,
                    &[
                        "people",
                        "residents",
                        "workers",
                        "households",
                        "students",
                        "companies",
                        "visitors",
                        "patients"
                    ]
                ),
                pick(
                    rng,
                    &[
                        "were affected by",
                        "took part in",
                        "signed up for",
                        "complained about",
                        "were evacuated because of",
                        "benefited from"
                    ]
                ),
                self.np(lex, rng)
            ),
            9 => format!(
                "{} {} {} and {}.",
                capitalize(&self.np(lex, rng)),
                pick(rng, &["in", "near", "outside", "north of"]),
                self.place(rng),
                self.clause(lex, rng)
            ),
            10 => format!(
                "{} {} whether {}.",
                capitalize(pick(
                    rng,
                    &[
                        "it is unclear",
                        "it remains to be seen",
                        "nobody could say",
                        "observers wonder",
                        "officials did not say"
                    ]
                )),
                pick(rng, &["yet", "so far", "at this stage", "for now"]),
                self.clause(lex, rng)
            ),
            11 => format!(
                "{} {}, {} {}.",
                pick(
                    rng,
                    &["Despite", "After", "Following", "Because of", "Ahead of"]
                ),
                self.np(lex, rng),
                self.clause(lex, rng),
                pick(rng, &["", "again", "as well", "in response"]).trim()
            ),
            12 => format!(
                "{} percent of {} {} {}, {}.",
                rng.gen_range(3..97),
                pick(
                    rng,
                    &["respondents", "voters", "members", "firms", "residents"]
                ),
                pick(rng, &["support", "oppose", "doubt", "welcome", "fear"]),
                self.np(lex, rng),
                pick(
                    rng,
                    &[
                        "a new survey shows",
                        "according to a poll",
                        "the figures suggest",
                        "a study found"
                    ]
                )
            ),
            _ => format!(
                "{} {} {}; {}.",
                self.person(rng),
                past(self.verb(lex, rng)),
                self.np(lex, rng),
                self.clause(lex, rng)
            ),
        };
        capitalize(&s.replace(" .", ".").replace(",,", ","))
    }

    fn paragraph(&self, lex: &Lex, rng: &mut ChaCha8Rng) -> String {
        let n = rng.gen_range(1..=3);
        (0..n)
            .map(|_| self.sentence(lex, rng))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn title(&self, lex: &Lex, rng: &mut ChaCha8Rng) -> String {
        let t = match rng.gen_range(0..4) {
            0 => format!(
                "{} {} {} {} in {}",
                self.org(rng).trim_start_matches("the "),
                third(self.verb(lex, rng)),
                self.adj(lex, rng),
                self.noun(lex, rng),
                self.place(rng)
            ),
            1 => format!(
                "{} {} {} after {} {}",
                self.place(rng),
                self.noun(lex, rng),
                past(self.verb(lex, rng)),
                self.adj(lex, rng),
                self.noun(lex, rng)
            ),
            2 => format!(
                "{} {} {} plan",
                self.person(rng),
                third(self.verb(lex, rng)),
                self.noun(lex, rng)
            ),
            _ => format!(
                "{} {} {} over {}",
                self.org(rng).trim_start_matches("the "),
                third(self.verb(lex, rng)),
                self.noun(lex, rng),
                self.noun(lex, rng)
            ),
        };
        capitalize(&t)
    }

    fn body(&self, lex: &Lex, rng: &mut ChaCha8Rng, words: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut n = 0;
        while n < words {
            let p = self.paragraph(lex, rng);
            n += words_of(&p);
            out.push(p);
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Template stories
// ---------------------------------------------------------------------------

fn fill(t: &str, slots: &[(&str, String)]) -> String {
    let mut s = t.to_string();
    for (k, v) in slots {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

fn company(set: &TplSet, rng: &mut ChaCha8Rng) -> String {
    let (a, b): (&[&str], &[&str]) = if set.cyrillic {
        (
            &[
                "Ро", "Ва", "Ме", "Ка", "Ли", "Тра", "Но", "Се", "Гор", "Бал",
            ],
            &[
                "снефть",
                "тел",
                "газ",
                "ком",
                "пром",
                "строй",
                "инвест",
                "металл",
            ],
        )
    } else {
        (
            &[
                "Kor", "Van", "Tel", "Mar", "Bel", "Sin", "Dor", "Lum", "Pra", "Ves", "Nor", "Gal",
                "Ter",
            ],
            &[
                "ex", "ia", "on", "tra", "ica", "os", "um", "ent", "is", "ax",
            ],
        )
    };
    format!(
        "{}{} {}",
        pick(rng, a),
        pick(rng, b),
        pick(rng, set.corp_suffix)
    )
}

fn template_story(kind: u8, lang: &'static str, lex: &Lex, rng: &mut ChaCha8Rng) -> Content {
    let set = tpl_for(lang);
    let tab = tab_for(lang).unwrap_or(&EN);
    let l = tab.code;
    let person = |rng: &mut ChaCha8Rng| pick(rng, tab.names).to_string();
    let wd = tab.weekdays[rng.gen_range(0..7)].to_string();
    let (tpl, slots): (&Tpl, Vec<(&str, String)>) = match kind {
        0 => {
            let co1 = company(set, rng);
            let mut co2 = company(set, rng);
            while co2 == co1 {
                co2 = company(set, rng);
            }
            let slots = vec![
                ("index", pick(rng, set.indices).to_string()),
                ("v1", fmt_num(rng.gen_range(300.0..16000.0), 2, l)),
                (
                    "sgn",
                    if rng.gen_bool(0.5) {
                        "+".into()
                    } else {
                        "-".into()
                    },
                ),
                ("pct", fmt_num(rng.gen_range(0.05..3.5), 2, l)),
                ("pct2", fmt_num(rng.gen_range(0.5..9.0), 1, l)),
                ("pct3", fmt_num(rng.gen_range(0.3..7.0), 1, l)),
                ("px", fmt_num(rng.gen_range(4.0..2500.0), 2, l)),
                ("vol", fmt_num(rng.gen_range(1.0..90.0), 1, l)),
                ("vol2", fmt_num(rng.gen_range(1.0..90.0), 1, l)),
                ("fx", fmt_num(rng.gen_range(0.8..320.0), 3, l)),
                ("co1", co1),
                ("co2", co2),
                ("co3", company(set, rng)),
                ("person", person(rng)),
                ("wd", wd),
            ];
            (&set.market, slots)
        }
        1 => {
            let mut teams: Vec<&str> = set.teams.to_vec();
            teams.shuffle(rng);
            let s1 = rng.gen_range(2..=5);
            let s2 = rng.gen_range(1..s1);
            let mut ms: Vec<u32> = (0..3).map(|_| rng.gen_range(2..90)).collect();
            ms.sort();
            let rank = rng.gen_range(1..=10);
            let slots = vec![
                ("team1", teams[0].to_string()),
                ("team2", teams[1].to_string()),
                ("s1", s1.to_string()),
                ("s2", s2.to_string()),
                ("round", rng.gen_range(2..=30).to_string()),
                ("att", fmt_num(rng.gen_range(800.0..45000.0), 0, l)),
                ("sc1", person(rng)),
                ("sc2", person(rng)),
                ("sc3", person(rng)),
                ("m1", ms[0].to_string()),
                ("m2", ms[1].to_string()),
                ("m3", ms[2].to_string()),
                ("rank", rank.to_string()),
                ("rank2", rng.gen_range(rank + 1..=18).to_string()),
                ("pts", rng.gen_range(5..=70).to_string()),
                ("coach", person(rng)),
                ("wd", wd),
            ];
            (&set.matchr, slots)
        }
        _ => {
            let t1: i32 = rng.gen_range(-8..=28);
            let city = if l == "en" && rng.gen_bool(0.5) {
                lex.name(rng, 2, 2)
            } else {
                pick(rng, set.cities).to_string()
            };
            let slots = vec![
                ("city", city),
                ("cond", pick(rng, &set.conds).to_string()),
                ("t0", (t1 - rng.gen_range(3..=10)).to_string()),
                ("t1", t1.to_string()),
                ("t2", (t1 + rng.gen_range(2..=9)).to_string()),
                ("wdir", pick(rng, &set.wdirs).to_string()),
                ("wind", rng.gen_range(10..=95).to_string()),
                ("rain", (rng.gen_range(0..=20) * 5).to_string()),
                ("person", person(rng)),
                ("wd", wd),
            ];
            (&set.weather, slots)
        }
    };
    Content {
        title: capitalize(&fill(tpl.title, &slots)),
        paras: tpl
            .paras
            .iter()
            .map(|p| capitalize(&fill(p, &slots)))
            .collect(),
    }
}

// ---------------------------------------------------------------------------
// Sites
// ---------------------------------------------------------------------------

const GENERIC_NAMES: &[&str] = &[
    "News24",
    "InfoHub",
    "Newsline",
    "Headlines Now",
    "NewsFeed",
    "Top Stories",
    "Wire Digest",
    "Pressroom",
];

fn site_lang(rng: &mut ChaCha8Rng, corpus: &str) -> Option<&'static Tab> {
    if rng.gen_bool(0.1) {
        return None; // generic, language-free boilerplate
    }
    match corpus {
        "any" => Some(TABS[rng.gen_range(0..TABS.len())]),
        l => {
            let u: f64 = rng.gen();
            if u < 0.6 {
                Some(tab_for(l).unwrap_or(&EN))
            } else if u < 0.82 {
                Some(&EN)
            } else {
                Some(TABS[rng.gen_range(0..TABS.len())])
            }
        }
    }
}

fn long_footer(
    tab: &Tab,
    name: &str,
    network: Option<&str>,
    year: u32,
    rng: &mut ChaCha8Rng,
) -> String {
    let site = network.unwrap_or(name);
    let parent = NETWORK_NAMES[6 + rng.gen_range(0..NETWORK_NAMES.len() - 6)];
    let fillf = |s: &str| {
        s.replace("{site}", site)
            .replace("{network}", network.unwrap_or(parent))
            .replace("{year}", &year.to_string())
    };
    let mut parts: Vec<String> = vec![
        fillf(tab.newsletter[rng.gen_range(0..2)]),
        fillf(tab.cookie[rng.gen_range(0..2)]),
        if network.is_none() && rng.gen_bool(0.5) {
            // an independent site that belongs to some (fictional) parent company
            fillf(tab.about[1])
        } else {
            fillf(tab.about[0])
        },
    ];
    let sub = match rng.gen_range(0..3) {
        0 => format!("{} »", tab.subscribe),
        1 => format!("[ {} ]", tab.subscribe),
        _ => format!("{} →", tab.subscribe),
    };
    parts.insert(1, sub);
    let mut extras: Vec<String> = vec![tab.extra[0].to_string(), tab.extra[1].to_string()];
    extras.shuffle(rng);
    let links = {
        let mut l: Vec<&str> = tab.links.to_vec();
        l.shuffle(rng);
        l.truncate(rng.gen_range(4..=6));
        l.join(if rng.gen_bool(0.5) { " | " } else { " · " })
    };
    let copyright = format!("© {year}–2014 {site}. {}", tab.rights);
    let n_extra = rng.gen_range(0..=2);
    for e in extras.into_iter().take(n_extra) {
        parts.push(e);
    }
    if rng.gen_bool(0.7) {
        parts.push(links);
    }
    parts.push(copyright);
    // keep within 60..=150 words
    while parts.iter().map(|p| words_of(p)).sum::<usize>() > 150 && parts.len() > 4 {
        parts.remove(parts.len() - 2);
    }
    match rng.gen_range(0..3) {
        0 => parts.join("\n"),
        1 => parts.join("\n\n"),
        _ => {
            let last = parts.pop().unwrap();
            format!("{}\n{}", parts.join(" "), last)
        }
    }
}

fn build_sites(n: usize, corpus_lang: &str, seed: u64) -> Vec<Site> {
    let mut rng = rng_for(seed, P_PLAN, 1_000_000);
    let width = if n > 99 { 3 } else { 2 };
    // networks of 3..=5 sites sharing one long footer and one related-stories widget
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut rng);
    let mut network_of: Vec<Option<usize>> = vec![None; n];
    let mut nets: Vec<(String, Option<&'static Tab>)> = Vec::new();
    let n_nets = if n >= 6 { (n / 8).max(1) } else { 0 };
    let mut pos = 0;
    for k in 0..n_nets {
        let size = rng.gen_range(3..=5).min(n - pos);
        if size < 3 {
            break;
        }
        for &s in &order[pos..pos + size] {
            network_of[s] = Some(k);
        }
        pos += size;
        let mut lang = site_lang(&mut rng, corpus_lang);
        if lang.is_none() {
            lang = Some(&EN);
        }
        nets.push((NETWORK_NAMES[k % NETWORK_NAMES.len()].to_string(), lang));
    }
    // a few more long-footer sites outside networks
    let extra_long: HashSet<usize> = order[pos..].iter().take((n / 10).max(1)).copied().collect();

    let mut net_footer: Vec<Option<String>> = vec![None; nets.len()];
    let mut net_related: Vec<Option<(String, &'static str, usize, usize)>> = vec![None; nets.len()];
    let mut used_names: HashSet<String> = HashSet::new();
    let mut sites = Vec::with_capacity(n);
    #[allow(clippy::needless_range_loop)]
    for i in 0..n {
        let net = network_of[i];
        let tabopt = match net {
            Some(k) => nets[k].1,
            None => site_lang(&mut rng, corpus_lang),
        };
        let generic = tabopt.is_none();
        let tab = tabopt.unwrap_or(&EN);
        let mut name;
        loop {
            name = if generic {
                let base = pick(&mut rng, GENERIC_NAMES).to_string();
                if rng.gen_bool(0.5) {
                    format!("{base} {}", rng.gen_range(1..99))
                } else {
                    base
                }
            } else {
                format!(
                    "{} {}",
                    pick(&mut rng, tab.outlet_a),
                    pick(&mut rng, tab.outlet_b)
                )
            };
            if used_names.insert(name.clone()) {
                break;
            }
        }
        let tld = if generic {
            pick(&mut rng, &["com", "net", "info", "eu"])
        } else {
            tab.tld
        };
        let domain = format!("{}.{tld}", slugify(&name, 6).replace('-', ""));
        let year: u32 = rng.gen_range(1996..=2010);
        let tagline = tab.taglines[rng.gen_range(0..3)].replace("{year}", &year.to_string());

        // banner
        let mut banner = Vec::new();
        if generic {
            banner.push(domain.clone());
            banner.push(pick(&mut rng, &["☰  ⌂  🔍", "≡ | ⌂ | ⚲", "☰ ⌕", "⌂ ▸ ☰"]).to_string());
        } else {
            match rng.gen_range(0..4) {
                0 => banner.push(name.clone()),
                1 => banner.push(name.to_uppercase()),
                2 => banner.push(format!("{name} | {tagline}")),
                _ => {
                    banner.push(name.clone());
                    banner.push(tagline.clone());
                }
            }
            if rng.gen_bool(0.75) {
                let mut items: Vec<&str> = tab.nav.to_vec();
                let k = rng.gen_range(5..=9);
                items.truncate(k);
                let sep = pick(&mut rng, &[" | ", " · ", "  ", " / ", " • "]);
                let mut line = items.join(sep);
                if rng.gen_bool(0.5) {
                    line = format!("{line}{sep}{}{sep}{}", tab.search, tab.login);
                }
                banner.push(line);
            }
            if rng.gen_bool(0.3) {
                banner.push(format!("{}  ·  {}", tab.subscribe, tab.login));
            }
        }
        let crumb_sep = if !generic && rng.gen_bool(0.55) {
            Some(pick(&mut rng, &[" › ", " > ", " / ", " » "]))
        } else {
            None
        };
        // share bar
        let share = if rng.gen_bool(0.8) {
            Some(if generic {
                pick(&mut rng, &["f  𝕏  in  ✉  ⎙", "f · t · ✉", "⤴ f 𝕏 ✉ 🔗"]).to_string()
            } else {
                match rng.gen_range(0..4) {
                    0 => format!("{}: Facebook | X | WhatsApp | {}", tab.share, tab.email),
                    1 => format!("Facebook  Twitter  LinkedIn  {}  {}", tab.email, tab.print),
                    2 => format!("{} ▸ f 𝕏 in ✉", tab.share),
                    _ => format!(
                        "{} ({{n}})  |  {}  |  {}",
                        tab.comments, tab.share, tab.print
                    ),
                }
            })
        } else {
            None
        };
        // footer
        let long = !generic && (net.is_some() || extra_long.contains(&i));
        let footer = if let Some(k) = net {
            if net_footer[k].is_none() {
                net_footer[k] = Some(long_footer(tab, &name, Some(&nets[k].0), year, &mut rng));
            }
            net_footer[k].clone().unwrap()
        } else if long {
            long_footer(tab, &name, None, year, &mut rng)
        } else if generic {
            match rng.gen_range(0..2) {
                0 => format!("© {year}–2014 {domain}"),
                _ => format!(
                    "{domain} · © {year}–2014 · RSS · ✉ info@{domain} · ☎ +{} {} {} {}",
                    rng.gen_range(30..49),
                    rng.gen_range(100..999),
                    rng.gen_range(100..999),
                    rng.gen_range(100..999)
                ),
            }
        } else {
            match rng.gen_range(0..3) {
                0 => format!("© {year}–2014 {name}. {}", tab.rights),
                1 => {
                    let mut l: Vec<&str> = tab.links.to_vec();
                    l.shuffle(&mut rng);
                    l.truncate(rng.gen_range(3..=6));
                    format!("{}\n© {name} {year}–2014. {}", l.join(" | "), tab.rights)
                }
                _ => {
                    let mut l: Vec<&str> = tab.links.to_vec();
                    l.shuffle(&mut rng);
                    l.truncate(rng.gen_range(3..=5));
                    format!(
                        "{}\n{}\n{}\n© {year}–2014 {name}",
                        tab.extra[rng.gen_range(0..2)],
                        l.join(" · "),
                        tab.rights
                    )
                }
            }
        };
        // related-stories widget
        let related = if let Some(k) = net {
            if net_related[k].is_none() {
                let label = tab.related[if rng.gen_bool(0.5) { 0 } else { 2 }].to_string();
                let bullet = pick(&mut rng, &["- ", "• ", "» ", "▸ ", ""]);
                let lo = rng.gen_range(3..=4);
                net_related[k] = Some((label, bullet, lo, rng.gen_range(lo + 1..=6)));
            }
            let (label, bullet, lo, hi) = net_related[k].clone().unwrap();
            Some(Related {
                label,
                bullet,
                min: lo,
                max: hi,
            })
        } else if rng.gen_bool(0.4) {
            let label = if generic {
                "»»".to_string()
            } else {
                tab.related[rng.gen_range(0..2)].to_string()
            };
            let lo = rng.gen_range(2..=4);
            Some(Related {
                label,
                bullet: pick(&mut rng, &["- ", "• ", "» ", ""]),
                min: lo,
                max: lo + rng.gen_range(0..=2),
            })
        } else {
            None
        };
        let quote_pref = match tab.code {
            _ if generic => rng.gen_range(0..2),
            "en" => pick(&mut rng, &[&0usize, &1]).to_owned(),
            "de" | "cs" | "hu" => pick(&mut rng, &[&2usize, &2, &5, &0]).to_owned(),
            "fr" => 4,
            "ru" | "es" | "it" => pick(&mut rng, &[&3usize, &3, &1, &0]).to_owned(),
            _ => 0,
        };
        let authors = (0..rng.gen_range(3..=6))
            .map(|_| pick(&mut rng, tab.names).to_string())
            .collect();
        let title_suffix = if rng.gen_bool(0.3) {
            Some(match rng.gen_range(0..3) {
                0 => format!(" | {name}"),
                1 => format!(" - {name}"),
                _ => format!(" – {domain}"),
            })
        } else {
            None
        };
        sites.push(Site {
            dir: format!("site{:0width$}", i + 1),
            name,
            domain,
            tab,
            generic,
            banner,
            crumb_sep,
            byline_style: rng.gen_range(0..6),
            date_fmt: if generic {
                rng.gen_range(1..=2)
            } else {
                rng.gen_range(0..=3)
            },
            share,
            share_top: rng.gen_bool(0.3),
            footer,
            long_footer: long,
            network: net,
            related,
            para_sep: if rng.gen_bool(0.75) { "\n\n" } else { "\n" },
            quote_pref,
            dash_pref: rng.gen_range(0..3),
            p_wrap: if rng.gen_bool(0.15) { 0.8 } else { 0.04 },
            p_entities: if rng.gen_bool(0.1) { 0.7 } else { 0.03 },
            ad_every: if rng.gen_bool(0.3) {
                rng.gen_range(3..=6)
            } else {
                0
            },
            photo_credit: rng.gen_bool(0.4),
            authors,
            slug_style: rng.gen_range(0..4),
            title_suffix,
            crlf: rng.gen_bool(0.04),
            weight: 1.0 / ((i % 7) as f64 + 1.5).powf(0.7) * rng.gen_range(0.6..1.4),
            tail: None,
        });
    }
    sites
}

// ---------------------------------------------------------------------------
// Planning: which stories exist, in which language, published by which sites
// ---------------------------------------------------------------------------

struct Ctx {
    seed: u64,
    generated: bool,
    words: (usize, usize),
    docs: Vec<Doc>,
    chains: BTreeMap<&'static str, Chain>,
    lex: Lex,
    sites: Vec<Site>,
    stories: Vec<Story>,
    statements: Vec<String>,
    /// The footer every article ends with under `--adversarial shared-footer`.
    shared_footer: Option<String>,
}

fn sample_copies(rng: &mut ChaCha8Rng, kind: Kind) -> usize {
    if kind == Kind::Brief {
        return if rng.gen_bool(0.15) { 2 } else { 1 };
    }
    let u: f64 = rng.gen();
    if u < 0.81 {
        1
    } else if u < 0.91 {
        2
    } else if u < 0.95 {
        3
    } else if u < 0.975 {
        rng.gen_range(4..=6)
    } else if u < 0.988 {
        rng.gen_range(7..=9)
    } else {
        rng.gen_range(10..=20)
    }
}

fn weighted_pick(rng: &mut ChaCha8Rng, cands: &[usize], sites: &[Site]) -> usize {
    let total: f64 = cands.iter().map(|&c| sites[c].weight).sum();
    let mut x = rng.gen::<f64>() * total;
    for &c in cands {
        x -= sites[c].weight;
        if x <= 0.0 {
            return c;
        }
    }
    *cands.last().unwrap()
}

fn choose_sites(rng: &mut ChaCha8Rng, k: usize, eligible: &[usize], sites: &[Site]) -> Vec<u16> {
    let k = k.min(eligible.len());
    let mut left: Vec<usize> = eligible.to_vec();
    let mut out: Vec<u16> = Vec::with_capacity(k);
    let first = weighted_pick(rng, &left, sites);
    left.retain(|&s| s != first);
    out.push(first as u16);
    // networks syndicate: often the sister sites take the story first
    if let Some(net) = sites[first].network {
        if k > 1 && rng.gen_bool(0.5) {
            let mut sis: Vec<usize> = left
                .iter()
                .copied()
                .filter(|&s| sites[s].network == Some(net))
                .collect();
            sis.shuffle(rng);
            for s in sis.into_iter().take(k - out.len()) {
                left.retain(|&x| x != s);
                out.push(s as u16);
            }
        }
    }
    while out.len() < k {
        let s = weighted_pick(rng, &left, sites);
        left.retain(|&x| x != s);
        out.push(s as u16);
    }
    out
}

fn quote_text(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '"' | '“' | '”' | '„' | '«' | '»'))
        .collect()
}

fn make_statement(lang: &'static str, text: &str, rng: &mut ChaCha8Rng) -> String {
    let tab = tab_for(lang).unwrap_or(&EN);
    let pat = tab.statement[rng.gen_range(0..2)];
    let mut q = quote_text(text).trim().to_string();
    if pat.starts_with("{q}") {
        while q.ends_with('.') {
            q.pop();
        }
    }
    let org = tab.orgs[rng.gen_range(0..tab.orgs.len())];
    capitalize(
        &pat.replace("{org}", org)
            .replace("{q}", &format!("\"{q}\"")),
    )
}

/// A `MIN:MAX` word count given to `flag`, with 10 <= MIN <= MAX.
fn word_span(flag: &str, value: &str) -> Result<(usize, usize), String> {
    value
        .split_once(':')
        .and_then(|(a, b)| {
            Some((
                a.trim().parse::<usize>().ok()?,
                b.trim().parse::<usize>().ok()?,
            ))
        })
        .filter(|(a, b)| *a >= 10 && a <= b)
        .ok_or_else(|| format!("{flag} must be MIN:MAX with 10 <= MIN <= MAX, got {value:?}"))
}

fn plan(args: &Args, docs: Vec<Doc>, lex: Lex) -> Result<Ctx, String> {
    let statement_words = word_span("--statement-words", &args.statement_words)?;
    let mut rng = rng_for(args.seed, P_PLAN, 0);
    // story mix: 6% template stories, 10% briefs, 2% statement pairs (each pair takes a donor doc)
    let mix = |n: usize| -> (usize, usize, usize, usize) {
        if n < 20 {
            let (t, b) = (n / 10, n / 10);
            return (n - t - b, b, t, 0);
        }
        let t = ((n as f64) * 0.06).round() as usize;
        let b = ((n as f64) * 0.10).round() as usize;
        let p = ((n as f64) * 0.02).round() as usize;
        (n - t - b, b, t, p)
    };
    let mut n = args.stories.max(1);
    let (mut n_reg, mut n_brief, mut n_tpl, mut n_pairs) = mix(n);
    // real originals: one language per doc
    let mut chosen: Vec<(u32, u16)> = Vec::new();
    // --same-event takes the text of docs no story uses: about 1.4 times the expected number of
    // negatives are set aside (from the end of the shuffled docs, so the stories keep their docs
    // unless too few are left for them)
    let mut reserved: Vec<u32> = Vec::new();
    let mut pool: Vec<u32> = Vec::new(); // docs left over, used as statement donors
    if !args.generated {
        let mut idx: Vec<u32> = (0..docs.len() as u32)
            .filter(|&d| {
                args.lang == "any" || docs[d as usize].versions.iter().any(|v| v.0 == args.lang)
            })
            .collect();
        idx.shuffle(&mut rng);
        if args.translations > 0.0 && args.same_event > 0.0 {
            let want = (n_reg as f64 * args.translations * args.same_event * 1.4).ceil() as usize;
            let keep = idx.len() - (want + 4).min(idx.len() / 4);
            reserved = idx.split_off(keep);
        }
        let avail = idx.len();
        if n_reg + n_brief + n_pairs > avail {
            while n > 1 && {
                let (r, b, _, p) = mix(n);
                r + b + p > avail
            } {
                n -= 1;
            }
            (n_reg, n_brief, n_tpl, n_pairs) = mix(n);
            if n_reg + n_brief + n_pairs > avail {
                return Err(format!("no usable docs for --lang {}", args.lang));
            }
            eprintln!(
                "synth: only {avail} docs available for --lang {}: making {n} stories instead of {}",
                args.lang, args.stories
            );
        }
        for &d in &idx[..n_reg + n_brief] {
            let vs = &docs[d as usize].versions;
            let v = if args.lang == "any" {
                rng.gen_range(0..vs.len())
            } else {
                vs.iter().position(|v| v.0 == args.lang).unwrap()
            };
            chosen.push((d, v as u16));
        }
        pool = idx[n_reg + n_brief..].to_vec();
    }

    let mut sites = build_sites(
        args.sources.max(1),
        if args.generated && args.lang == "any" {
            "en"
        } else {
            &args.lang
        },
        args.seed,
    );
    let all_sites: Vec<usize> = (0..sites.len()).collect();
    let mut long_sites: Vec<usize> = (0..sites.len()).filter(|&s| sites[s].long_footer).collect();
    if long_sites.is_empty() {
        long_sites = all_sites.clone();
    }

    // stories: kind and language
    let mut stories: Vec<Story> = Vec::with_capacity(n_reg + n_brief + n_tpl);
    #[allow(clippy::needless_range_loop)]
    for i in 0..n_reg + n_brief {
        let kind = if i < n_reg {
            Kind::Regular
        } else {
            Kind::Brief
        };
        let (doc, lang) = if args.generated {
            (None, "en")
        } else {
            let (d, v) = chosen[i];
            (Some((d, v)), docs[d as usize].versions[v as usize].0)
        };
        stories.push(Story {
            kind,
            lang,
            doc,
            title: String::new(),
            sites: Vec::new(),
            day: 0,
            statement: None,
            tcopies: Vec::new(),
            event: None,
        });
    }
    for i in 0..n_tpl {
        let lang = if args.generated {
            "en"
        } else if args.lang != "any" {
            intern(&args.lang)
        } else if n_reg > 0 {
            stories[rng.gen_range(0..n_reg)].lang
        } else {
            "en"
        };
        stories.push(Story {
            kind: Kind::Template((i % 3) as u8),
            lang,
            doc: None,
            title: String::new(),
            sites: Vec::new(),
            day: 0,
            statement: None,
            tcopies: Vec::new(),
            event: None,
        });
    }
    stories.shuffle(&mut rng);

    // pairs of different stories sharing one quoted official statement
    let mut statements = Vec::new();
    // docs used by no story and no statement (the same-event negatives take theirs from here)
    let mut free_docs: Vec<u32> = {
        let mut by_lang: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
        for (i, s) in stories.iter().enumerate() {
            if s.kind == Kind::Regular {
                by_lang.entry(s.lang).or_default().push(i);
            }
        }
        let mut pool_iter = pool.into_iter();
        let mut made = 0;
        let mut attempts = 0;
        while made < n_pairs && attempts < n_pairs * 20 + 20 {
            attempts += 1;
            let langs: Vec<&'static str> = by_lang
                .iter()
                .filter(|(_, v)| v.len() >= 2)
                .map(|(k, _)| *k)
                .collect();
            if langs.is_empty() {
                break;
            }
            // weight languages by how many stories they have
            let tot: usize = langs.iter().map(|l| by_lang[l].len()).sum();
            let mut x = rng.gen_range(0..tot);
            let mut lang = langs[0];
            for l in &langs {
                if x < by_lang[l].len() {
                    lang = l;
                    break;
                }
                x -= by_lang[l].len();
            }
            let text = if args.generated {
                let mut r = rng_for(args.seed, P_TOPIC, 10_000_000 + made as u64);
                let t = gen_topic(&lex, &mut r);
                (0..rng.gen_range(3..=4))
                    .map(|_| t.sentence(&lex, &mut r))
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                // a donor doc with a version in this language
                let mut donor = None;
                for d in pool_iter.by_ref() {
                    if let Some(v) = docs[d as usize].versions.iter().find(|v| v.0 == lang) {
                        donor = Some(v.2.clone());
                        break;
                    }
                }
                let Some(ps) = donor else { continue };
                let target = rng.gen_range(statement_words.0..=statement_words.1);
                let mut acc = String::new();
                for p in ps.iter().skip(1) {
                    if words_of(&acc) >= target {
                        break;
                    }
                    if !acc.is_empty() {
                        acc.push(' ');
                    }
                    acc.push_str(p);
                }
                if acc.is_empty() {
                    acc = ps[0].clone();
                }
                cut_words(&acc, 100.max(statement_words.1 + 10))
            };
            let v = by_lang.get_mut(lang).unwrap();
            let a = v.swap_remove(rng.gen_range(0..v.len()));
            let b = v.swap_remove(rng.gen_range(0..v.len()));
            let sidx = statements.len() as u32;
            statements.push(make_statement(lang, &text, &mut rng));
            stories[a].statement = Some((sidx, rng.gen_range(0.2..0.8)));
            stories[b].statement = Some((sidx, rng.gen_range(0.2..0.8)));
            made += 1;
        }
        pool_iter.chain(reserved).collect()
    };

    // publication: sites and dates
    for s in stories.iter_mut() {
        let k = sample_copies(&mut rng, s.kind);
        let eligible = if s.kind == Kind::Brief {
            &long_sites
        } else {
            &all_sites
        };
        s.sites = choose_sites(&mut rng, k, eligible, &sites);
        s.day = rng.gen_range(0..2550);
    }

    // --translations and --same-event draw from their own streams: without them the plan above is
    // the same as ever.
    if !args.generated && args.translations > 0.0 {
        plan_translations(args, &docs, &sites, &mut stories);
    }
    if !args.generated && args.translations > 0.0 && args.same_event > 0.0 {
        let negatives = plan_same_event(args, &docs, &sites, &stories, &mut free_docs);
        stories.extend(negatives);
    }
    // --long-tail, last and from its own stream: without it the plan is the same as ever.
    if args.long_tail > 0.0 {
        plan_long_tail(args, &mut sites, &mut stories);
    }

    let (wmin, wmax) = word_span("--words", &args.words)?;

    let mut chains = BTreeMap::new();
    if !args.generated {
        let mut by_lang: BTreeMap<&'static str, Vec<&String>> = BTreeMap::new();
        for d in &docs {
            for v in &d.versions {
                by_lang.entry(v.0).or_default().extend(v.2.iter());
            }
        }
        let mut used: HashSet<&'static str> = stories.iter().map(|s| s.lang).collect();
        for s in &stories {
            if let Some((d, _)) = s.doc {
                for &(v, _) in &s.tcopies {
                    used.insert(docs[d as usize].versions[v as usize].0);
                }
            }
        }
        for (l, ps) in by_lang {
            if used.contains(l) {
                chains.insert(l, Chain::build(ps.into_iter()));
            }
        }
    }

    let mut ctx = Ctx {
        seed: args.seed,
        generated: args.generated,
        words: (wmin, wmax),
        docs,
        chains,
        lex,
        sites,
        stories,
        statements,
        shared_footer: None,
    };
    // titles (needed up front for the related-stories widgets)
    let titles: Vec<String> = (0..ctx.stories.len())
        .into_par_iter()
        .map(|i| story_title(&ctx, i))
        .collect();
    for (s, t) in ctx.stories.iter_mut().zip(titles) {
        s.title = t;
    }
    Ok(ctx)
}

/// Sites whose boilerplate is in `lang`, other than `taken`; else any site other than `taken`;
/// else any site.
fn sites_in(sites: &[Site], lang: &str, taken: &[u16]) -> Vec<usize> {
    let free = |s: &usize| !taken.contains(&(*s as u16));
    let same: Vec<usize> = (0..sites.len())
        .filter(|&s| !sites[s].generic && sites[s].tab.code == lang)
        .filter(free)
        .collect();
    if !same.is_empty() {
        return same;
    }
    let other: Vec<usize> = (0..sites.len()).filter(free).collect();
    if !other.is_empty() {
        return other;
    }
    (0..sites.len()).collect()
}

// ---------------------------------------------------------------------------
// --long-tail: sites seen once or twice, on shared platforms
// ---------------------------------------------------------------------------

/// Consent paragraphs of the long-tail platforms (one a platform, verbatim on all its sites).
const TAIL_CONSENT: [&str; 4] = [
    "We and our partners use cookies and similar technologies to store and access information on your device, to personalise content and adverts and to analyse our traffic. By clicking accept or by continuing to use this site you consent to this processing.",
    "This site stores small files on your computer so that pages load faster and so that we can count our readers. You can withdraw your consent at any time in the privacy settings linked at the bottom of every page.",
    "Your privacy matters to us. We process personal data such as your IP address and browsing behaviour to show you relevant content; the details and your right to object are explained in our privacy notice.",
    "To keep this local news service free we rely on measurement tools and advertising partners that may read and store information on your device. Choose manage options at any time to change your preferences.",
];

/// Newsletter pitches of the long-tail platforms, placed after a story's first paragraph.
const TAIL_PITCH: [&str; 4] = [
    "Get the local headlines that matter delivered straight to your inbox every weekday morning, together with the weather, the roadworks and what is on this weekend: sign up for our free email bulletin today.",
    "Never miss a story from your neighbourhood again. Our free morning briefing brings the council, the courts, the schools and the sports results to your inbox before eight o'clock.",
    "Like what you are reading? Join thousands of readers who start their day with our daily digest of the stories people are talking about in town, sent free every morning at seven.",
    "Stay informed with our weekly roundup of local news, events and community notices, hand-picked by our editors and delivered to your inbox every Friday at noon free of charge.",
];

/// Sentences of a long-tail site's plain-text footer that recur across the platform's sites,
/// each inside a paragraph that is unique to its site (name, address, phone number).
const TAIL_SUPPORT: [&str; 4] = [
    "We are funded by our readers and answer to no owner, party or advertiser.",
    "Our reporters live in the communities they cover and have done so for many years.",
    "Everything we publish is free to read and always will be, thanks to the generosity of our members.",
    "We are a member of the independent community news network and follow its editors' code of practice.",
];
const TAIL_DONATE: [&str; 4] = [
    "Independent journalism costs money: if you value our reporting, please consider a small monthly donation through our supporters page.",
    "If you can, support local reporting with a one-off or regular gift; every contribution, however small, helps us keep reporters on the beat.",
    "Help us keep covering the stories that nobody else will by becoming a member for the price of a coffee a month.",
    "Donations are tax deductible and go straight to our newsroom; you can cancel a regular gift at any time without giving a reason.",
];
const TAIL_TOWNS: &[&str] = &[
    "Ashford",
    "Brackley",
    "Corbridge",
    "Dunmore",
    "Ellesmere",
    "Felton",
    "Glenrock",
    "Hartwell",
    "Ivybridge",
    "Kelso",
    "Langport",
    "Millbrook",
    "Northam",
    "Oakham",
    "Penrith",
    "Quarrington",
    "Redhill",
    "Stanwick",
    "Thornbury",
    "Upton",
    "Wetherby",
    "Yarmouth",
];
const TAIL_KINDS: &[&str] = &[
    "Courier",
    "Echo",
    "Voice",
    "Post",
    "Chronicle",
    "Messenger",
    "Bulletin",
    "Record",
    "Sentinel",
];
const TAIL_STREETS: &[&str] = &[
    "High Street",
    "Station Road",
    "Church Lane",
    "Market Place",
    "Mill Street",
    "Bridge Street",
];

/// `--long-tail RATE`: about RATE of the copies (twice that of briefs) move to long-tail sites,
/// each new or, three times in ten, the previous one when it has a single article (so sites are
/// seen once or twice). Sites belong to one of a few platforms, about 40 copies each, whose
/// consent paragraph, newsletter pitch and footer sentences they share. The sites are appended
/// after the regular ones with weight 0, so nothing else picks them.
fn plan_long_tail(args: &Args, sites: &mut Vec<Site>, stories: &mut [Story]) {
    let mut rng = rng_for(args.seed, P_TAIL, 0);
    let rate = args.long_tail.clamp(0.0, 1.0);
    let p_of = |kind: Kind| {
        if kind == Kind::Brief {
            (2.0 * rate).min(1.0)
        } else {
            rate
        }
    };
    let expected: f64 = stories
        .iter()
        .map(|s| s.sites.len() as f64 * p_of(s.kind))
        .sum();
    let platforms = ((expected / 40.0).round() as usize).max(2);
    let mut last: Option<(u16, usize)> = None; // (site, articles)
    for s in stories.iter_mut() {
        for c in 0..s.sites.len() {
            if !rng.gen_bool(p_of(s.kind)) {
                continue;
            }
            let reuse = match last {
                Some((site, 1)) if rng.gen_bool(0.3) && !s.sites.contains(&site) => Some(site),
                _ => None,
            };
            let site = match reuse {
                Some(site) => site,
                None => {
                    let k = rng.gen_range(0..platforms);
                    let lang = tab_for(s.lang).unwrap_or(&EN);
                    sites.push(tail_site(sites.len(), k, lang, &mut rng));
                    (sites.len() - 1) as u16
                }
            };
            last = Some((site, if reuse.is_some() { 2 } else { 1 }));
            s.sites[c] = site;
        }
    }
}

/// One long-tail site of platform `k`: a banner with a long menu, its article's date under it
/// (hard-wrapped, the two were glued into one line), the platform's consent text and pitch, and
/// a plain-text footer paragraph made of the site's own sentences and the platform's.
fn tail_site(idx: usize, k: usize, tab: &'static Tab, rng: &mut ChaCha8Rng) -> Site {
    let town = pick(rng, TAIL_TOWNS);
    let name = format!("{town} {}", pick(rng, TAIL_KINDS));
    let domain = format!("{}{}.com", slugify(&name, 4).replace('-', ""), idx);
    let year: u32 = rng.gen_range(2003..=2013);
    let phone = format!(
        "0{} {} {}",
        rng.gen_range(1200..1999),
        rng.gen_range(100..999),
        rng.gen_range(100..999)
    );
    let street = format!("{} {}", rng.gen_range(2..140), pick(rng, TAIL_STREETS));
    let own = format!(
        "The {name} is an independent news site covering {town} and the surrounding villages since {year}."
    );
    let support = TAIL_SUPPORT[(k + rng.gen_range(0..2)) % 4];
    let contact = format!("Call the newsroom on {phone} or visit us at {street}, {town}.");
    let donate = TAIL_DONATE[(k + rng.gen_range(0..2)) % 4];
    let mut sentences = [own, support.to_string(), contact, donate.to_string()];
    sentences[1..].shuffle(rng);
    let footer = format!(
        "{}\n\nSign up for the {name} newsletter and never miss a local story\n© {year}–2014 {name}. {}",
        sentences.join(" "),
        tab.rights
    );
    let mut menu: Vec<&str> = tab.nav.to_vec();
    menu.truncate(rng.gen_range(7..=9));
    let menu = format!("{} | {} | {}", menu.join(" | "), tab.search, tab.login);
    Site {
        dir: format!("tail{idx:05}"),
        name: name.clone(),
        domain,
        tab,
        generic: false,
        banner: vec![name, menu],
        crumb_sep: None,
        byline_style: rng.gen_range(0..6),
        date_fmt: 0,
        share: None,
        share_top: false,
        footer,
        long_footer: false,
        network: None,
        related: None,
        para_sep: "\n\n",
        quote_pref: 0,
        dash_pref: 0,
        p_wrap: 0.5,
        p_entities: 0.0,
        ad_every: 0,
        photo_credit: false,
        authors: Vec::new(),
        slug_style: rng.gen_range(0..4),
        title_suffix: None,
        crlf: false,
        weight: 0.0,
        tail: Some(TailPage {
            consent: TAIL_CONSENT[k % 4].to_string(),
            pitch: TAIL_PITCH[(k / 4 + k) % 4].to_string(),
        }),
    }
}

/// `--translations`: about RATE of the regular stories whose doc has another language version
/// get 1-3 copies in other versions (distinct languages), each on a site of that language where
/// one exists; one in seven of those translated copies is reprinted once more in its language.
fn plan_translations(args: &Args, docs: &[Doc], sites: &[Site], stories: &mut [Story]) {
    for (i, s) in stories.iter_mut().enumerate() {
        let Some((d, v)) = s.doc else { continue };
        let versions = &docs[d as usize].versions;
        if s.kind != Kind::Regular || versions.len() < 2 {
            continue;
        }
        let mut rng = rng_for(args.seed, P_TRANS, i as u64);
        if !rng.gen_bool(args.translations) {
            continue;
        }
        // another version in a language other than the story's (a doc could hold two versions
        // in one language)
        let mut others: Vec<u16> = (0..versions.len() as u16)
            .filter(|&w| w != v && versions[w as usize].0 != s.lang)
            .collect();
        if others.is_empty() {
            continue;
        }
        others.shuffle(&mut rng);
        let u: f64 = rng.gen();
        let n = if u < 0.6 {
            1
        } else if u < 0.88 {
            2
        } else {
            3
        };
        let mut taken: Vec<u16> = s.sites.clone();
        for &w in others.iter().take(n) {
            let lang = versions[w as usize].0;
            let copies = if rng.gen_bool(1.0 / 7.0) { 2 } else { 1 };
            for _ in 0..copies {
                let site = weighted_pick(&mut rng, &sites_in(sites, lang, &taken), sites) as u16;
                taken.push(site);
                s.tcopies.push((w, site));
            }
        }
    }
}

/// `--same-event`: for about RATE of the translated stories X, a story N in a language L2 of X's
/// doc other than X's own: the L2 text of a doc no story uses, with X's L2 names and numbers
/// substituted in (see `same_event_text`), published once (a quarter of the time twice) on sites
/// of that language, within a day of X.
fn plan_same_event(
    args: &Args,
    docs: &[Doc],
    sites: &[Site],
    stories: &[Story],
    free_docs: &mut Vec<u32>,
) -> Vec<Story> {
    let mut out = Vec::new();
    for (i, x) in stories.iter().enumerate() {
        let Some((d, v)) = x.doc else { continue };
        if x.tcopies.is_empty() {
            continue;
        }
        let mut rng = rng_for(args.seed, P_EVENT, i as u64);
        if !rng.gen_bool(args.same_event) {
            continue;
        }
        let versions = &docs[d as usize].versions;
        let langs: Vec<u16> = (0..versions.len() as u16)
            .filter(|&w| w != v && versions[w as usize].0 != x.lang)
            .collect();
        let Some(&xv) = langs.choose(&mut rng) else {
            continue;
        };
        let l2 = versions[xv as usize].0;
        let Some(pos) = free_docs
            .iter()
            .position(|&y| docs[y as usize].versions.iter().any(|w| w.0 == l2))
        else {
            continue;
        };
        let y = free_docs.remove(pos);
        let yv = docs[y as usize]
            .versions
            .iter()
            .position(|w| w.0 == l2)
            .unwrap() as u16;
        let k = if rng.gen_bool(0.25) { 2 } else { 1 };
        let eligible = sites_in(sites, l2, &[]);
        out.push(Story {
            kind: Kind::SameEvent,
            lang: l2,
            doc: Some((y, yv)),
            title: String::new(),
            sites: choose_sites(&mut rng, k, &eligible, sites),
            day: x.day + rng.gen_range(0..=1),
            statement: None,
            tcopies: Vec::new(),
            event: Some((i as u32, xv)),
        });
    }
    out
}

/// Splits a word into leading punctuation, core (first to last alphanumeric character) and
/// trailing punctuation.
fn split_word(w: &str) -> (&str, &str, &str) {
    let Some(a) = w.find(char::is_alphanumeric) else {
        return (w, "", "");
    };
    let (b, c) = w
        .char_indices()
        .rfind(|(_, c)| c.is_alphanumeric())
        .unwrap();
    let b = b + c.len_utf8();
    (&w[..a], &w[a..b], &w[b..])
}

/// A capitalised word that does not start a sentence (a name, or a German noun).
fn is_name(core: &str, initial: bool) -> bool {
    !initial
        && core.chars().count() >= 2
        && core.chars().next().is_some_and(char::is_uppercase)
        && !core.chars().any(|c| c.is_ascii_digit())
}

fn is_number(core: &str) -> bool {
    core.chars().any(|c| c.is_ascii_digit())
}

/// Calls `f(core, sentence_initial)` for every word of `text`, and rebuilds the text with the
/// core `f` returns.
fn map_words(text: &str, mut f: impl FnMut(&str, bool) -> Option<String>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut initial = true;
    for w in text.split(' ') {
        let (lead, core, trail) = split_word(w);
        let word = match f(core, initial) {
            Some(new) if !core.is_empty() => format!("{lead}{new}{trail}"),
            _ => w.to_string(),
        };
        out.push(word);
        const END: [char; 5] = ['.', '!', '?', ':', '…'];
        if core.is_empty() {
            initial |= w.contains(END);
        } else {
            initial = trail.contains(END);
        }
    }
    out.join(" ")
}

/// A same-event negative's text: doc Y's text (`y_title`, `y_paras`) with about half of its
/// distinct capitalised non-sentence-initial words replaced (every occurrence alike) by the
/// capitalised non-sentence-initial words of X's version in the same language, taken in shuffled
/// order, and about a third of its numbers by X's numbers.
fn same_event_text(
    y_title: &str,
    y_paras: &[String],
    x_title: &str,
    x_paras: &[String],
    rng: &mut ChaCha8Rng,
) -> Content {
    let mut names: Vec<String> = Vec::new();
    let mut numbers: Vec<String> = Vec::new();
    for t in std::iter::once(x_title).chain(x_paras.iter().map(|p| p.as_str())) {
        map_words(t, |core, initial| {
            if is_name(core, initial) && !names.iter().any(|n| n == core) {
                names.push(core.to_string());
            } else if is_number(core) && !numbers.iter().any(|n| n == core) {
                numbers.push(core.to_string());
            }
            None
        });
    }
    names.shuffle(rng);
    numbers.shuffle(rng);
    let mut mapping: BTreeMap<String, Option<String>> = BTreeMap::new();
    let (mut next_name, mut next_number) = (0usize, 0usize);
    let mut subst = |core: &str, initial: bool, rng: &mut ChaCha8Rng| -> Option<String> {
        if let Some(m) = mapping.get(core) {
            // a name met before maps alike, even where it starts a sentence
            m.clone()
        } else if is_name(core, initial) && !names.is_empty() {
            mapping
                .entry(core.to_string())
                .or_insert_with(|| {
                    rng.gen_bool(0.5).then(|| {
                        next_name += 1;
                        names[(next_name - 1) % names.len()].clone()
                    })
                })
                .clone()
        } else if is_number(core) && !numbers.is_empty() && rng.gen_bool(1.0 / 3.0) {
            next_number += 1;
            Some(numbers[(next_number - 1) % numbers.len()].clone())
        } else {
            None
        }
    };
    let mut paras: Vec<String> = Vec::with_capacity(y_paras.len());
    for p in y_paras {
        paras.push(map_words(p, |core, initial| subst(core, initial, rng)));
    }
    let title = map_words(y_title, |core, initial| subst(core, initial, rng));
    Content { title, paras }
}

fn gen_words(ctx: &Ctx, rng: &mut ChaCha8Rng) -> usize {
    // log-uniform between MIN and MAX
    let (a, b) = (ctx.words.0 as f64, ctx.words.1 as f64);
    (a.ln() + rng.gen::<f64>() * (b.ln() - a.ln()))
        .exp()
        .round() as usize
}

fn story_title(ctx: &Ctx, i: usize) -> String {
    let s = &ctx.stories[i];
    match (s.kind, s.doc) {
        (Kind::Template(_) | Kind::SameEvent, _) => story_content(ctx, i).0.title,
        (_, Some((d, v))) => ctx.docs[d as usize].versions[v as usize].1.clone(),
        (_, None) => {
            let topic = gen_topic(&ctx.lex, &mut rng_for(ctx.seed, P_TOPIC, i as u64));
            topic.title(&ctx.lex, &mut rng_for(ctx.seed, P_TITLE, i as u64))
        }
    }
}

fn make_brief(paras: &[String], rng: &mut ChaCha8Rng) -> Vec<String> {
    let mut src: Vec<String> = paras.to_vec();
    if src.len() < 2 {
        // split a lone paragraph into sentences
        src = src
            .iter()
            .flat_map(|p| p.split(". ").map(|s| s.to_string()).collect::<Vec<_>>())
            .collect();
    }
    let k = rng.gen_range(2..=4).min(src.len()).max(1);
    let budget: usize = rng.gen_range(40..=120);
    let per = (budget / k).max(10);
    src.iter().take(k).map(|p| cut_words(p, per)).collect()
}

/// The canonical text of a story, plus its topic for --generated stories.
fn story_content(ctx: &Ctx, i: usize) -> (Content, Option<Topic>) {
    let s = &ctx.stories[i];
    let mut body_rng = rng_for(ctx.seed, P_BODY, i as u64);
    let (mut content, topic) = match (s.kind, s.doc) {
        (Kind::Template(k), _) => {
            let mut r = rng_for(ctx.seed, P_TOPIC, i as u64);
            (template_story(k, s.lang, &ctx.lex, &mut r), None)
        }
        (Kind::SameEvent, Some((d, v))) => {
            let (x, xv) = s
                .event
                .expect("a same-event story names its translated story");
            let (xd, _) = ctx.stories[x as usize]
                .doc
                .expect("a translated story has a doc");
            let (_, x_title, x_paras) = &ctx.docs[xd as usize].versions[xv as usize];
            let (_, y_title, y_paras) = &ctx.docs[d as usize].versions[v as usize];
            let mut r = rng_for(ctx.seed, P_EVENT_TEXT, i as u64);
            (
                same_event_text(y_title, y_paras, x_title, x_paras, &mut r),
                None,
            )
        }
        (kind, Some((d, v))) => {
            let (_, title, paras) = &ctx.docs[d as usize].versions[v as usize];
            let paras = if kind == Kind::Brief {
                make_brief(paras, &mut body_rng)
            } else {
                paras.clone()
            };
            (
                Content {
                    title: title.clone(),
                    paras,
                },
                None,
            )
        }
        (kind, None) => {
            let topic = gen_topic(&ctx.lex, &mut rng_for(ctx.seed, P_TOPIC, i as u64));
            let title = topic.title(&ctx.lex, &mut rng_for(ctx.seed, P_TITLE, i as u64));
            let paras = if kind == Kind::Brief {
                let k = body_rng.gen_range(2..=4);
                let per = body_rng.gen_range(40..=120) / k;
                (0..k)
                    .map(|_| cut_words(&topic.paragraph(&ctx.lex, &mut body_rng), per.max(10)))
                    .collect()
            } else {
                let w = gen_words(ctx, &mut body_rng);
                topic.body(&ctx.lex, &mut body_rng, w)
            };
            (Content { title, paras }, Some(topic))
        }
    };
    if let Some((si, pos)) = s.statement {
        let n = content.paras.len();
        let at = (1 + ((n.saturating_sub(1)) as f32 * pos) as usize).min(n);
        content
            .paras
            .insert(at, ctx.statements[si as usize].clone());
    }
    (content, topic)
}

// ---------------------------------------------------------------------------
// Noise applied per copy
// ---------------------------------------------------------------------------

const QUOTE_STYLES: [(&str, &str, char); 6] = [
    ("\"", "\"", '\''),
    ("“", "”", '’'),
    ("„", "“", '’'),
    ("«", "»", '’'),
    ("«\u{a0}", "\u{a0}»", '’'),
    ("»", "«", '’'),
];

fn requote(s: &str, style: usize) -> String {
    let (open, close, apos) = QUOTE_STYLES[style];
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        let opening = || {
            prev.map(|p| p.is_whitespace() || "([{/-–—".contains(p))
                .unwrap_or(true)
        };
        match c {
            '„' | '«' => out.push_str(open),
            '”' | '»' => out.push_str(close),
            '“' | '"' => out.push_str(if opening() { open } else { close }),
            '\'' | '’' => {
                let inword = prev.map(|p| p.is_alphanumeric()).unwrap_or(false)
                    && next.map(|n| n.is_alphanumeric()).unwrap_or(false);
                if inword || c == '’' {
                    out.push(apos);
                } else {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn redash(s: &str, style: usize) -> String {
    let d = [" - ", " – ", " — "][style];
    s.replace(" - ", d).replace(" – ", d).replace(" — ", d)
}

fn add_nbsp(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let ws: Vec<&str> = s.split(' ').collect();
    for (i, w) in ws.iter().enumerate() {
        out.push_str(w);
        if i + 1 < ws.len() {
            let short = w.chars().count() == 1 && w.chars().all(|c| c.is_alphabetic());
            let next_unit = ws[i + 1].starts_with('%') || ws[i + 1].starts_with("°");
            let digit_pair = w.chars().all(|c| c.is_ascii_digit())
                && !w.is_empty()
                && ws[i + 1]
                    .chars()
                    .next()
                    .map(|c| c.is_ascii_digit())
                    .unwrap_or(false);
            out.push(if short || next_unit || digit_pair {
                '\u{a0}'
            } else {
                ' '
            });
        }
    }
    out
}

fn entity(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{a0}' => "&nbsp;",
        '’' => "&rsquo;",
        '‘' => "&lsquo;",
        '“' => "&ldquo;",
        '”' => "&rdquo;",
        '„' => "&bdquo;",
        '«' => "&laquo;",
        '»' => "&raquo;",
        '–' => "&ndash;",
        '—' => "&mdash;",
        '…' => "&hellip;",
        '°' => "&deg;",
        '©' => "&copy;",
        '·' => "&middot;",
        '›' => "&rsaquo;",
        'à' => "&agrave;",
        'á' => "&aacute;",
        'â' => "&acirc;",
        'ä' => "&auml;",
        'ç' => "&ccedil;",
        'è' => "&egrave;",
        'é' => "&eacute;",
        'ê' => "&ecirc;",
        'ë' => "&euml;",
        'í' => "&iacute;",
        'ì' => "&igrave;",
        'î' => "&icirc;",
        'ï' => "&iuml;",
        'ñ' => "&ntilde;",
        'ó' => "&oacute;",
        'ò' => "&ograve;",
        'ô' => "&ocirc;",
        'ö' => "&ouml;",
        'ú' => "&uacute;",
        'ù' => "&ugrave;",
        'û' => "&ucirc;",
        'ü' => "&uuml;",
        'ß' => "&szlig;",
        'ý' => "&yacute;",
        'Á' => "&Aacute;",
        'É' => "&Eacute;",
        'Í' => "&Iacute;",
        'Ó' => "&Oacute;",
        'Ú' => "&Uacute;",
        'Ö' => "&Ouml;",
        'Ü' => "&Uuml;",
        'Ä' => "&Auml;",
        'Ñ' => "&Ntilde;",
        'À' => "&Agrave;",
        'È' => "&Egrave;",
        'č' => "&ccaron;",
        'Č' => "&Ccaron;",
        'š' => "&scaron;",
        'Š' => "&Scaron;",
        'ž' => "&zcaron;",
        'Ž' => "&Zcaron;",
        'ř' => "&rcaron;",
        'Ř' => "&Rcaron;",
        'ě' => "&ecaron;",
        'ů' => "&uring;",
        'ň' => "&ncaron;",
        'ť' => "&tcaron;",
        'ď' => "&dcaron;",
        'ő' => "&odblac;",
        'ű' => "&udblac;",
        'Ő' => "&Odblac;",
        'Ű' => "&Udblac;",
        _ => return None,
    })
}

/// mode 0: punctuation only; 1: + accented letters; 2: + numeric references for the rest.
fn entities(s: &str, mode: u8) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => match entity(c) {
                Some(e) if mode >= 1 || !c.is_alphabetic() => out.push_str(e),
                _ if mode >= 2 && !c.is_ascii() && c != '\n' => {
                    out.push_str(&format!("&#{};", c as u32))
                }
                _ => out.push(c),
            },
        }
    }
    out
}

/// Hard-wrap lines at `width` columns, splitting some long words with a hyphen.
fn hard_wrap(s: &str, width: usize, rng: &mut ChaCha8Rng) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 30);
    for (li, line) in s.split('\n').enumerate() {
        if li > 0 {
            out.push('\n');
        }
        if line.chars().count() <= width {
            out.push_str(line);
            continue;
        }
        let mut col = 0;
        for w in line.split(' ') {
            let wl = w.chars().count();
            if col > 0 && col + 1 + wl > width {
                let room = width.saturating_sub(col + 2);
                if wl >= 8 && room >= 3 && wl - room.min(wl - 3) >= 3 && rng.gen_bool(0.6) {
                    let k = room.min(wl - 3);
                    let head: String = w.chars().take(k).collect();
                    let tail: String = w.chars().skip(k).collect();
                    if head.chars().all(|c| c.is_alphabetic()) {
                        out.push(' ');
                        out.push_str(&head);
                        out.push_str("-\n");
                        out.push_str(&tail);
                        col = tail.chars().count();
                        continue;
                    }
                }
                out.push('\n');
                out.push_str(w);
                col = wl;
            } else {
                if col > 0 {
                    out.push(' ');
                    col += 1;
                }
                out.push_str(w);
                col += wl;
            }
        }
    }
    out
}

fn blank_runs(s: &str, rng: &mut ChaCha8Rng) -> String {
    let mut out = String::with_capacity(s.len() + 64);
    let parts: Vec<&str> = s.split("\n\n").collect();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            let u: f64 = rng.gen();
            out.push_str(if u < 0.25 {
                "\n\n\n"
            } else if u < 0.35 {
                "\n\n\n\n\n"
            } else if u < 0.42 {
                "\n \n"
            } else {
                "\n\n"
            });
        }
        out.push_str(p);
    }
    out
}

fn ocr_noise(s: &str, rng: &mut ChaCha8Rng) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == 'r' && next == Some('n') && rng.gen_bool(0.3) {
            out.push('m');
            i += 2;
            continue;
        }
        if c.is_alphabetic() && rng.gen_bool(0.01) {
            i += 1; // dropped character
            continue;
        }
        match c {
            'm' if rng.gen_bool(0.05) => out.push_str("rn"),
            'l' if rng.gen_bool(0.05) => out.push('1'),
            '1' if rng.gen_bool(0.1) => out.push('l'),
            'I' if rng.gen_bool(0.1) => out.push('l'),
            'O' if rng.gen_bool(0.05) => out.push('0'),
            'e' if rng.gen_bool(0.01) => out.push('c'),
            'h' if rng.gen_bool(0.01) => out.push('b'),
            ',' if rng.gen_bool(0.03) => out.push('.'),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn light_edits(paras: &mut Vec<String>, rng: &mut ChaCha8Rng) {
    let vocab: Vec<String> = paras
        .iter()
        .flat_map(|p| p.split_whitespace())
        .filter(|w| w.chars().count() >= 4 && w.chars().all(|c| c.is_alphabetic()))
        .map(|w| w.to_string())
        .collect();
    let ops = rng.gen_range(1..=4);
    for _ in 0..ops {
        if paras.is_empty() {
            return;
        }
        let pi = rng.gen_range(0..paras.len());
        let mut ws: Vec<String> = paras[pi].split(' ').map(|w| w.to_string()).collect();
        if ws.len() < 4 {
            continue;
        }
        let wi = rng.gen_range(1..ws.len() - 1);
        match rng.gen_range(0..4) {
            0 => {
                ws.remove(wi);
            }
            1 => ws.swap(wi, wi + 1),
            2 if !vocab.is_empty() => {
                let punct: String = ws[wi]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_punctuation())
                    .collect();
                ws[wi] = format!(
                    "{}{}",
                    vocab[rng.gen_range(0..vocab.len())],
                    punct.chars().rev().collect::<String>()
                );
            }
            _ => {
                if let Some(pos) = ws
                    .iter()
                    .position(|w| w.chars().any(|c| c.is_ascii_digit()))
                {
                    ws[pos] = ws[pos]
                        .chars()
                        .map(|c| {
                            if c.is_ascii_digit() && rng.gen_bool(0.3) {
                                char::from(b'0' + rng.gen_range(0..10u8))
                            } else {
                                c
                            }
                        })
                        .collect();
                } else {
                    ws.remove(wi);
                }
            }
        }
        paras[pi] = ws.join(" ");
    }
    // drop one sentence
    if rng.gen_bool(0.6) {
        let multi: Vec<usize> = (0..paras.len())
            .filter(|&i| paras[i].matches(". ").count() >= 1)
            .collect();
        if let Some(&pi) = multi.choose(rng) {
            let sents: Vec<&str> = paras[pi].split_inclusive(". ").collect();
            let drop = rng.gen_range(0..sents.len());
            let kept: String = sents
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != drop)
                .map(|(_, s)| *s)
                .collect();
            paras[pi] = kept.trim().to_string();
        } else if paras.len() > 3 {
            let i = rng.gen_range(1..paras.len());
            paras.remove(i);
        }
    }
}

fn new_headline(title: &str, lede: &str, outlet: &str, tab: &Tab, rng: &mut ChaCha8Rng) -> String {
    let u: f64 = rng.gen();
    let mut t = if u < 0.35 {
        title.to_string()
    } else if u < 0.47 {
        let ws: Vec<&str> = title.split_whitespace().collect();
        let k = ((ws.len() as f64) * rng.gen_range(0.5..0.8)).ceil() as usize;
        format!(
            "{}{}",
            ws[..k.max(2).min(ws.len())].join(" "),
            if rng.gen_bool(0.5) { "…" } else { "..." }
        )
    } else if u < 0.55 {
        title.to_uppercase()
    } else if u < 0.67 {
        let p = match rng.gen_range(0..3) {
            0 => tab.breaking.to_string(),
            1 => tab.video.to_string(),
            _ => tab.update.to_uppercase(),
        };
        format!("{p}: {title}")
    } else if u < 0.85 {
        let ws: Vec<&str> = lede.split_whitespace().collect();
        let k = rng.gen_range(8..=14).min(ws.len());
        let mut h = ws[..k].join(" ");
        while h.ends_with(|c: char| c.is_ascii_punctuation()) {
            h.pop();
        }
        if h.is_empty() {
            title.to_string()
        } else {
            h
        }
    } else {
        let mut ws: Vec<&str> = title.split_whitespace().collect();
        if ws.len() > 3 {
            let i = rng.gen_range(1..ws.len());
            ws.remove(i);
        }
        ws.join(" ")
    };
    if u < 0.35 || rng.gen_bool(0.25) {
        t = match rng.gen_range(0..5) {
            0 => format!("{t} – {outlet}"),
            1 => format!("{t} | {outlet}"),
            2 => format!("{t} - {outlet}"),
            3 => format!("{outlet}: {t}"),
            _ => format!("{t} — {outlet}"),
        };
    }
    t
}

fn update_paragraph(ctx: &Ctx, lang: &str, topic: Option<&Topic>, rng: &mut ChaCha8Rng) -> String {
    if let Some(ch) = ctx.chains.get(lang) {
        return ch.paragraph(rng);
    }
    match topic {
        Some(t) => t.paragraph(&ctx.lex, rng),
        None => {
            let t = gen_topic(&ctx.lex, rng);
            t.paragraph(&ctx.lex, rng)
        }
    }
}

/// Where one copy goes: its site, the site it credits as the origin, the language of its text.
struct Slot {
    site: usize,
    origin: usize,
    lang: &'static str,
}

fn render_copy(
    ctx: &Ctx,
    i: usize,
    content: &Content,
    topic: Option<&Topic>,
    copy: usize,
    slot: Slot,
    rng: &mut ChaCha8Rng,
) -> Art {
    let story = &ctx.stories[i];
    let site_idx = slot.site;
    let site = &ctx.sites[site_idx];
    let origin = &ctx.sites[slot.origin];
    let tab = site.tab;
    let mut tags: Vec<&'static str> = Vec::new();
    let mut headline = content.title.clone();
    let mut paras = content.paras.clone();
    let mut tail: Vec<String> = Vec::new();
    let day = story.day + if copy == 0 { 0 } else { rng.gen_range(0..=2) };
    let (hh, mm) = (rng.gen_range(6..23), rng.gen_range(0..60));
    let wire = pick(rng, tab_for(slot.lang).unwrap_or(origin.tab).wires);

    if copy > 0 {
        if rng.gen_bool(0.55) {
            let outlet = if rng.gen_bool(0.6) {
                origin.name.clone()
            } else {
                format!("Agence {wire}")
            };
            headline = new_headline(
                &headline,
                paras.first().map(|s| s.as_str()).unwrap_or(""),
                &outlet,
                tab,
                rng,
            );
            tags.push("headline");
        }
        let long_enough = paras.len() >= 4 && story.kind != Kind::Brief;
        if long_enough && rng.gen_bool(0.12) {
            let keep = ((paras.len() as f64) * rng.gen_range(0.2..0.4)).ceil() as usize;
            paras.truncate(keep.max(1));
            let rm = tab.read_more[rng.gen_range(0..3)];
            tail.push(match rng.gen_range(0..4) {
                0 => format!("{rm}: {}", origin.domain),
                1 => format!("[{rm}]"),
                2 => format!("{rm} »"),
                _ => format!("{rm} → https://{}/", origin.domain),
            });
            tags.push("truncated");
        } else if long_enough && rng.gen_bool(0.2) {
            let k = rng.gen_range(1..=(paras.len() / 6).max(1));
            for _ in 0..k {
                let j = rng.gen_range(1..paras.len());
                paras.remove(j);
            }
            tags.push("dropped");
        }
        if rng.gen_bool(0.35) {
            light_edits(&mut paras, rng);
            tags.push("edited");
        }
        if rng.gen_bool(0.10) {
            let k = rng.gen_range(1..=3);
            for j in 0..k {
                let p = update_paragraph(ctx, slot.lang, topic, rng);
                paras.push(if j == 0 {
                    format!(
                        "{} {:02}:{:02}: {p}",
                        tab.update,
                        (hh + 2).min(23),
                        rng.gen_range(0..60)
                    )
                } else {
                    p
                });
            }
            tags.push("update");
        }
        if rng.gen_bool(0.4) {
            tail.push(match rng.gen_range(0..3) {
                0 => format!("({}: {})", tab.source, origin.name),
                1 => format!("{}: {wire}, {}", tab.source, origin.name),
                _ => format!("— {wire}"),
            });
            tags.push("credit");
        }
    }
    let slug_src = headline.clone();
    if let Some(suf) = &site.title_suffix {
        headline.push_str(suf);
    }

    // typography on the story text
    let qs = if rng.gen_bool(0.7) {
        site.quote_pref
    } else {
        rng.gen_range(0..QUOTE_STYLES.len())
    };
    let ds = if rng.gen_bool(0.7) {
        site.dash_pref
    } else {
        rng.gen_range(0..3)
    };
    let nbsp = rng.gen_bool(0.2);
    let ocr = rng.gen_bool(0.04);
    let fix = |s: &str, rng: &mut ChaCha8Rng| {
        let mut t = redash(&requote(s, qs), ds);
        if nbsp {
            t = add_nbsp(&t);
        }
        if ocr {
            t = ocr_noise(&t, rng);
        }
        t
    };
    headline = fix(&headline, rng);
    let paras: Vec<String> = paras.iter().map(|p| fix(p, rng)).collect();
    if qs != 0 {
        tags.push("quotes");
    }
    if nbsp {
        tags.push("nbsp");
    }
    if ocr {
        tags.push("ocr");
    }

    // page assembly
    let mut blocks: Vec<String> = Vec::new();
    blocks.push(site.banner.join("\n"));
    if let Some(t) = &site.tail {
        // The day's date right under the menu, and the platform's consent text above the story.
        let banner = blocks.last_mut().expect("banner pushed");
        banner.push('\n');
        banner.push_str(&fmt_date(tab, 0, day));
        blocks.push(t.consent.clone());
    }
    if let Some(sep) = site.crumb_sep {
        let sec = tab.nav[rng.gen_range(1..8)];
        blocks.push(if rng.gen_bool(0.5) {
            format!("{}{sep}{sec}", tab.nav[0])
        } else {
            format!(
                "{}{sep}{sec}{sep}{}",
                tab.nav[0],
                pick(rng, &["Europe", "Region", "2014", "Live", "Top"])
            )
        });
    }
    blocks.push(headline.clone());
    let author = if site.authors.is_empty() {
        wire.to_string()
    } else {
        site.authors[rng.gen_range(0..site.authors.len())].clone()
    };
    let date = fmt_date(tab, site.date_fmt, day);
    let time = format!("{hh:02}:{mm:02}");
    let mut by = if site.generic {
        format!("{date} {time}")
    } else {
        match site.byline_style {
            0 => format!("{} {author} | {date}", tab.by),
            1 => format!("{} {date}, {time}", tab.published),
            2 => format!("{date} {time} — {author}"),
            3 => format!("{author} ({wire})\n{date}"),
            4 => format!("{} {time}", fmt_date(tab, 2, day)),
            _ => format!("{} {author}, {} {date} {time}", tab.by, tab.updated),
        }
    };
    if site.photo_credit {
        by.push_str(&format!(
            "\n{}: {}",
            tab.photo,
            if rng.gen_bool(0.5) {
                wire.to_string()
            } else {
                format!("{author}/{}", site.name)
            }
        ));
    }
    blocks.push(by);
    let share = site
        .share
        .as_ref()
        .map(|s| s.replace("{n}", &rng.gen_range(0..240).to_string()));
    if site.share_top {
        if let Some(s) = &share {
            blocks.push(s.clone());
        }
    }
    let mut body: Vec<String> = Vec::with_capacity(paras.len() + 4);
    for (j, p) in paras.into_iter().enumerate() {
        if site.ad_every > 0 && j > 0 && j % site.ad_every == 0 {
            body.push(if rng.gen_bool(0.5) {
                tab.ad.to_string()
            } else {
                tab.ad.to_uppercase()
            });
        }
        body.push(p);
        if j == 0 {
            if let Some(t) = &site.tail {
                body.push(t.pitch.clone());
            }
        }
    }
    body.extend(tail);
    blocks.push(body.join(site.para_sep));
    if !site.share_top {
        if let Some(s) = &share {
            blocks.push(s.clone());
        }
    }
    if let Some(rel) = &site.related {
        let n = rng.gen_range(rel.min..=rel.max);
        let mut lines = vec![rel.label.clone()];
        let total = ctx.stories.len();
        let mut seen = HashSet::new();
        for _ in 0..n * 3 {
            if lines.len() > n || total < 2 {
                break;
            }
            let j = rng.gen_range(0..total);
            if j != i && seen.insert(j) {
                lines.push(format!("{}{}", rel.bullet, ctx.stories[j].title));
            }
        }
        blocks.push(lines.join("\n"));
    }
    blocks.push(site.footer.clone());
    let mut text = blocks.join("\n\n");
    text.push('\n');

    // page-level scrape noise
    if rng.gen_bool(site.p_wrap) {
        let w = rng.gen_range(60..=80);
        text = hard_wrap(&text, w, rng);
        tags.push("wrap");
    }
    if rng.gen_bool(site.p_entities) {
        text = entities(&text, [0u8, 1, 1, 2][rng.gen_range(0..4)]);
        tags.push("entities");
    }
    if rng.gen_bool(0.08) {
        text = text.nfd().collect();
        tags.push("nfd");
    }
    if rng.gen_bool(0.12) {
        text = blank_runs(&text, rng);
        tags.push("blank-runs");
    }
    if site.crlf {
        text = text.replace('\n', "\r\n");
        tags.push("crlf");
    }

    let slug = match site.slug_style {
        0 => format!(
            "{}-{}",
            slugify(&slug_src, 6),
            rng.gen_range(100_000..1_000_000)
        ),
        1 => format!("a{}", rng.gen_range(1_000_000..10_000_000)),
        2 => {
            let (y, m, d, _) = date_of(day);
            format!("{y}-{m:02}-{d:02}-{}", slugify(&slug_src, 5))
        }
        _ => slugify(&slug_src, 8),
    };
    Art {
        story: i as u32,
        copy: copy as u16,
        lang: slot.lang,
        site: site_idx as u16,
        slug,
        title: headline,
        text,
        tags,
    }
}

fn render_story(ctx: &Ctx, i: usize) -> Vec<Art> {
    let (content, topic) = story_content(ctx, i);
    let s = &ctx.stories[i];
    let mut rng = rng_for(ctx.seed, P_COPY, i as u64);
    let mut arts: Vec<Art> = (0..s.sites.len())
        .map(|c| {
            let slot = Slot {
                site: s.sites[c] as usize,
                origin: s.sites[0] as usize,
                lang: s.lang,
            };
            render_copy(ctx, i, &content, topic.as_ref(), c, slot, &mut rng)
        })
        .collect();
    if let (Some((d, _)), false) = (s.doc, s.tcopies.is_empty()) {
        // Translated copies: a version's first copy credits the story's first site, a reprint
        // of it credits the site of that first translated copy.
        let mut rng = rng_for(ctx.seed, P_TCOPY, i as u64);
        let mut first: Vec<(u16, usize)> = Vec::new();
        for (j, &(v, site)) in s.tcopies.iter().enumerate() {
            let (lang, title, paras) = &ctx.docs[d as usize].versions[v as usize];
            let translated = Content {
                title: title.clone(),
                paras: paras.clone(),
            };
            let origin = match first.iter().find(|f| f.0 == v) {
                Some(f) => f.1,
                None => {
                    first.push((v, site as usize));
                    s.sites[0] as usize
                }
            };
            let slot = Slot {
                site: site as usize,
                origin,
                lang,
            };
            let mut a = render_copy(ctx, i, &translated, None, s.sites.len() + j, slot, &mut rng);
            a.tags.insert(0, "translation");
            arts.push(a);
        }
    }
    if let Some(footer) = &ctx.shared_footer {
        // A short brief of the story above the one footer: copies of a story stay identical,
        // different stories share most of their text.
        let brief = make_brief(&content.paras, &mut rng_for(ctx.seed, P_BODY, i as u64));
        let text = format!("{}\n\n{}\n\n{footer}\n", content.title, brief.join("\n\n"));
        for a in &mut arts {
            a.title = content.title.clone();
            a.text = text.clone();
            a.tags = vec!["adversarial-shared-footer"];
        }
    }
    arts
}

/// One long footer (about 400 words of generated prose in several paragraphs), the same for
/// every article of an `--adversarial shared-footer` corpus.
fn shared_footer(ctx: &Ctx) -> String {
    let mut rng = rng_for(ctx.seed, P_TOPIC, 20_000_000);
    let topic = gen_topic(&ctx.lex, &mut rng);
    topic.body(&ctx.lex, &mut rng, 400).join("\n\n")
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

const OUTPUTS: &[&str] = &[
    "corpus",
    "corpus.jsonl",
    "truth.jsonl",
    "meta.jsonl",
    "hard_negatives.jsonl",
    "synth.json",
];

fn prepare_out(out: &Path) -> Result<(), String> {
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let ours = out.join("synth.json").exists();
    for name in OUTPUTS {
        let p = out.join(name);
        if p.exists() {
            if !ours {
                return Err(format!(
                    "{} exists but {} has no synth.json: refusing to overwrite output not written by synth",
                    p.display(),
                    out.display()
                ));
            }
            if p.is_dir() {
                fs::remove_dir_all(&p)
                    .map_err(|e| format!("cannot remove {}: {e}", p.display()))?;
            } else {
                fs::remove_file(&p).map_err(|e| format!("cannot remove {}: {e}", p.display()))?;
            }
        }
    }
    Ok(())
}

fn write_lines(path: &Path, lines: impl IntoIterator<Item = String>) -> Result<(), String> {
    let f = fs::File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let mut w = BufWriter::new(f);
    for l in lines {
        w.write_all(l.as_bytes())
            .and_then(|_| w.write_all(b"\n"))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    w.flush().map_err(|e| format!("{}: {e}", path.display()))
}

fn run(args: Args) -> Result<(), String> {
    if !["cs", "de", "es", "hu", "it", "ru", "en", "fr", "any"].contains(&args.lang.as_str()) {
        return Err(format!(
            "--lang must be one of cs, de, es, hu, it, ru, any (got {})",
            args.lang
        ));
    }
    for (flag, rate) in [
        ("--translations", args.translations),
        ("--same-event", args.same_event),
    ] {
        if !(0.0..=1.0).contains(&rate) {
            return Err(format!("{flag} must be a rate in 0..1 (got {rate})"));
        }
    }
    if args.generated && args.translations > 0.0 {
        eprintln!("synth: --translations needs real originals (no language versions with --generated): ignored");
    }
    if args.same_event > 0.0 && args.translations == 0.0 {
        eprintln!("synth: --same-event pairs with translated stories: without --translations it plants nothing");
    }
    let docs = if args.generated {
        Vec::new()
    } else {
        let from = args
            .from
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_FROM));
        if !from.exists() {
            return Err(format!(
                "{} not found: pass --from FILE or use --generated",
                from.display()
            ));
        }
        load_docs(&from)?
    };
    let mut ctx = if let Some(n) = args.articles {
        if n == 0 {
            return Err("--articles must be at least 1".into());
        }
        // Every story has at least one copy, so N stories always give N articles.
        let planned = Args {
            stories: n,
            ..args.clone()
        };
        let mut ctx = plan(&planned, docs, Lex::new())?;
        // Stories are published in order, a same-event negative (planned last) right after the
        // story it imitates; the stories kept are a prefix of the others plus the negatives of
        // that prefix, so no kept story changes its index except those negatives.
        let mut order: Vec<usize> = Vec::with_capacity(ctx.stories.len());
        let mut after: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, s) in ctx.stories.iter().enumerate() {
            match s.event {
                Some((x, _)) => after.entry(x as usize).or_default().push(i),
                None => order.push(i),
            }
        }
        let order: Vec<usize> = order
            .into_iter()
            .flat_map(|i| std::iter::once(i).chain(after.remove(&i).unwrap_or_default()))
            .collect();
        let mut left = n;
        let mut kept = vec![false; ctx.stories.len()];
        for i in order {
            if left == 0 {
                break;
            }
            let s = &mut ctx.stories[i];
            s.sites.truncate(left);
            left -= s.sites.len();
            s.tcopies.truncate(left);
            left -= s.tcopies.len();
            kept[i] = true;
        }
        if left > 0 {
            return Err(format!(
                "only {} articles could be planned (too few originals for --articles {n})",
                n - left
            ));
        }
        let mut kept = kept.into_iter();
        ctx.stories.retain(|_| kept.next().unwrap());
        ctx
    } else {
        plan(&args, docs, Lex::new())?
    };
    if args.adversarial == Some(Adversarial::SharedFooter) {
        ctx.shared_footer = Some(shared_footer(&ctx));
    }
    let ctx = ctx;
    prepare_out(&args.out)?;
    let corpus_dir = args.out.join("corpus");
    if args.format == Format::Txt {
        for s in &ctx.sites {
            fs::create_dir_all(corpus_dir.join(&s.dir))
                .map_err(|e| format!("cannot create dir: {e}"))?;
        }
    }

    let n = ctx.stories.len();
    let mut used: Vec<HashSet<String>> = vec![HashSet::new(); ctx.sites.len()];
    let mut story_ids: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut meta: Vec<String> = Vec::new();
    let jsonl_path = args.out.join("corpus.jsonl");
    let mut jsonl = match args.format {
        Format::Jsonl => Some(BufWriter::with_capacity(
            1 << 20,
            fs::File::create(&jsonl_path)
                .map_err(|e| format!("cannot create {}: {e}", jsonl_path.display()))?,
        )),
        Format::Txt => None,
    };
    // --adversarial exact-half: (story, title, text) of the first article, copied into every
    // second one.
    let mut anchor: Option<(usize, &'static str, String, String)> = None;
    let mut n_articles = 0usize;
    let mut per_kind: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    let mut tag_counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut n_translated = 0usize;
    let mut translated_langs: BTreeMap<&'static str, usize> = BTreeMap::new();
    const CHUNK: usize = 2048;
    for start in (0..n).step_by(CHUNK) {
        let end = (start + CHUNK).min(n);
        let arts: Vec<Vec<Art>> = (start..end)
            .into_par_iter()
            .map(|i| render_story(&ctx, i))
            .collect();
        let mut to_write: Vec<(PathBuf, String)> = Vec::new();
        for (off, copies) in arts.into_iter().enumerate() {
            let i = start + off;
            let kind = ctx.stories[i].kind;
            let e = per_kind.entry(kind.name()).or_default();
            e.0 += 1;
            e.1 += copies.len();
            for mut a in copies {
                let mut story_of = a.story as usize;
                let mut tags = a.tags.clone();
                if args.adversarial == Some(Adversarial::ExactHalf) {
                    match &anchor {
                        None => anchor = Some((i, a.lang, a.title.clone(), a.text.clone())),
                        Some((s, lang, title, text)) if n_articles % 2 == 1 => {
                            story_of = *s;
                            a.lang = *lang;
                            a.title = title.clone();
                            a.text = text.clone();
                            tags = vec!["adversarial-exact-copy"];
                        }
                        Some(_) => {}
                    }
                }
                // unique file name within the site
                let mut slug = a.slug.clone();
                let mut k = 2;
                while !used[a.site as usize].insert(slug.clone()) {
                    slug = format!("{}-{k}", a.slug);
                    k += 1;
                }
                let site = &ctx.sites[a.site as usize];
                let id = format!("{}/{slug}.txt", site.dir);
                for t in &tags {
                    *tag_counts.entry(t).or_default() += 1;
                }
                let st = &ctx.stories[story_of];
                let mut m = serde_json::json!({
                    "id": id, "story": format!("s{story_of:06}"), "kind": st.kind.name(),
                    "lang": a.lang, "doc": st.doc.map(|(d, _)| ctx.docs[d as usize].key.as_str()), "copy": a.copy, "source": site.dir,
                    "site_lang": if site.generic { "generic" } else { site.tab.code },
                    "noise": tags,
                });
                // keys only the new flags add, so that other corpora keep their bytes
                if a.lang != st.lang {
                    m["translated_from"] = st.lang.into();
                    n_translated += 1;
                    *translated_langs.entry(a.lang).or_default() += 1;
                }
                if let Some((x, _)) = st.event {
                    m["same_event_as"] = format!("s{x:06}").into();
                }
                meta.push(m.to_string());
                match &mut jsonl {
                    None => to_write.push((corpus_dir.join(&id), a.text)),
                    Some(w) => {
                        let line = serde_json::json!({"id": id, "source": site.dir, "title": a.title, "text": a.text}).to_string();
                        w.write_all(line.as_bytes())
                            .and_then(|_| w.write_all(b"\n"))
                            .map_err(|e| format!("{}: {e}", jsonl_path.display()))?;
                    }
                }
                story_ids[story_of].push(id);
                n_articles += 1;
            }
        }
        to_write
            .par_iter()
            .map(|(p, t)| fs::write(p, t).map_err(|e| format!("cannot write {}: {e}", p.display())))
            .collect::<Result<Vec<()>, String>>()?;
    }
    if let Some(mut w) = jsonl {
        w.flush()
            .map_err(|e| format!("{}: {e}", jsonl_path.display()))?;
    }

    // truth
    let mut groups = 0usize;
    let mut in_groups = 0usize;
    let mut max_group = 0usize;
    let mut truth = Vec::new();
    for (i, ids) in story_ids.iter_mut().enumerate() {
        ids.sort();
        if ids.len() >= 2 {
            groups += 1;
            in_groups += ids.len();
            max_group = max_group.max(ids.len());
            truth.push(serde_json::json!({"cluster": format!("s{i:06}"), "ids": ids}).to_string());
        }
    }
    write_lines(&args.out.join("truth.jsonl"), truth)?;
    write_lines(&args.out.join("meta.jsonl"), meta)?;

    // hard negatives: sets of distinct stories that must not be merged with each other
    let mut hn: Vec<String> = Vec::new();
    let mut by_footer: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut by_tpl: BTreeMap<(&'static str, &'static str), Vec<usize>> = BTreeMap::new();
    let mut by_stmt: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    let mut same_event: Vec<(usize, usize)> = Vec::new();
    for (i, s) in ctx.stories.iter().enumerate() {
        match s.kind {
            Kind::Brief => {
                let mut keys: Vec<String> = s
                    .sites
                    .iter()
                    .map(|&x| {
                        let site = &ctx.sites[x as usize];
                        match site.network {
                            Some(k) => format!("network{}", k + 1),
                            None => site.dir.clone(),
                        }
                    })
                    .collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    by_footer.entry(k).or_default().push(i);
                }
            }
            Kind::Template(_) => by_tpl.entry((s.kind.name(), s.lang)).or_default().push(i),
            Kind::SameEvent => {
                if let Some((x, _)) = s.event {
                    same_event.push((x as usize, i));
                }
            }
            Kind::Regular => {}
        }
        if let Some((si, _)) = s.statement {
            by_stmt.entry(si).or_default().push(i);
        }
    }
    // A story cut away by --articles has no ids: it is no one's negative.
    let stories_json = |v: &[usize]| -> Vec<&Vec<String>> {
        v.iter()
            .map(|&i| &story_ids[i])
            .filter(|ids| !ids.is_empty())
            .collect()
    };
    for (k, v) in &by_footer {
        if v.len() >= 2 {
            hn.push(serde_json::json!({"kind": "briefs-shared-footer", "footer": k, "stories": stories_json(v)}).to_string());
        }
    }
    for (si, v) in &by_stmt {
        hn.push(serde_json::json!({"kind": "shared-statement", "statement": si, "stories": stories_json(v)}).to_string());
    }
    for ((k, l), v) in &by_tpl {
        if v.len() >= 2 {
            hn.push(
                serde_json::json!({"kind": k, "lang": l, "stories": stories_json(v)}).to_string(),
            );
        }
    }
    // a same-event negative N against the translated story X whose names and numbers it took:
    // X's copies (all languages) form one truth cluster, N's copies another
    let mut n_same_event = 0usize;
    for &(x, i) in &same_event {
        if story_ids[x].is_empty() || story_ids[i].is_empty() {
            continue;
        }
        n_same_event += 1;
        hn.push(
            serde_json::json!({
                "kind": "same-event-other-language", "cluster": format!("s{x:06}"),
                "negative": format!("s{i:06}"), "lang": ctx.stories[i].lang,
                "story_lang": ctx.stories[x].lang, "stories": stories_json(&[x, i]),
            })
            .to_string(),
        );
    }
    let n_hn = hn.len();
    write_lines(&args.out.join("hard_negatives.jsonl"), hn)?;

    let copies_share = if n_articles > 0 {
        (n_articles - n) as f64 / n_articles as f64
    } else {
        0.0
    };
    let group_share = if n_articles > 0 {
        in_groups as f64 / n_articles as f64
    } else {
        0.0
    };
    let mut langs: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &ctx.stories {
        *langs.entry(s.lang).or_default() += 1;
    }
    let mut manifest = serde_json::json!({
        "generator": "reprint examples/synth.rs",
        "args": {
            "from": if args.generated { None } else { Some(args.from.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_FROM)).display().to_string()) },
            "generated": args.generated, "lang": args.lang, "stories": args.stories, "sources": args.sources,
            "seed": args.seed, "format": format!("{:?}", args.format).to_lowercase(), "words": args.words,
            "articles": args.articles, "adversarial": args.adversarial.map(|a| format!("{a:?}").to_lowercase()),
        },
        "articles": n_articles,
        "stories": n,
        "groups": groups,
        "articles_in_groups": in_groups,
        "largest_group": max_group,
        "reprint_share": (copies_share * 10000.0).round() / 10000.0,
        "story_kinds": per_kind.iter().map(|(k, (s, a))| (k.to_string(), serde_json::json!({"stories": s, "articles": a}))).collect::<serde_json::Map<_, _>>(),
        "story_langs": langs,
        "statement_pairs": by_stmt.len(),
        "hard_negative_sets": n_hn,
        "noise": tag_counts,
        "sites": ctx.sites.iter().map(|s| serde_json::json!({
            "dir": s.dir, "name": s.name, "lang": if s.generic { "generic" } else { s.tab.code },
            "network": s.network.map(|k| k + 1), "long_footer": s.long_footer,
            "footer_words": words_of(&s.footer),
        })).collect::<Vec<_>>(),
    });
    if args.translations > 0.0 || args.same_event > 0.0 {
        // only with the new flags, so that other corpora keep their bytes
        manifest["args"]["translations"] = args.translations.into();
        manifest["args"]["same_event"] = args.same_event.into();
        manifest["translated_stories"] = ctx
            .stories
            .iter()
            .filter(|s| !s.tcopies.is_empty() && !s.sites.is_empty())
            .count()
            .into();
        manifest["translated_copies"] = n_translated.into();
        manifest["translated_langs"] = serde_json::json!(translated_langs);
        manifest["same_event_negatives"] = n_same_event.into();
    }
    if args.statement_words != "45:90" {
        // only with the flag, so that other corpora keep their bytes
        manifest["args"]["statement_words"] = args.statement_words.clone().into();
    }
    if args.long_tail > 0.0 {
        // only with the flag, so that other corpora keep their bytes
        manifest["args"]["long_tail"] = args.long_tail.into();
        manifest["long_tail_sites"] = ctx.sites.iter().filter(|s| s.tail.is_some()).count().into();
    }
    fs::write(
        args.out.join("synth.json"),
        serde_json::to_string_pretty(&manifest).unwrap() + "\n",
    )
    .map_err(|e| format!("cannot write synth.json: {e}"))?;

    eprintln!(
        "synth: {n_articles} articles from {n} stories on {} sites; {groups} groups of >=2 (largest {max_group}); reprints {:.1}% of articles (copies after the first), {:.1}% in groups; {} -> {}",
        ctx.sites.len(),
        copies_share * 100.0,
        group_share * 100.0,
        if ctx.generated { "generated text" } else { "real originals" },
        args.out.display()
    );
    Ok(())
}

fn main() {
    let args = Args::parse();
    if let Err(e) = run(args) {
        eprintln!("synth: error: {e}");
        std::process::exit(1);
    }
}
