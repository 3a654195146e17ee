"""The words of emergencies: crisis phrases, emergency signs by kind, and the words that frame them.

Pure data for ``ros1qa.safety.safety``. Every pattern runs on normalised text: lower case, accents and
apostrophes removed ("can't" → "cant"), hyphens as spaces, one space between words.
"""

from __future__ import annotations

import re

_CANT = r"(?:cant|cannot|can not|cnt|cannt|couldnt|could not|unable to)"
_BREATHE = r"(?:breathe?|breath|breth|brethe|breathing)"
_PERSON = r"(?:my|his|her|their|the|one|a)"
_BLEED = r"(?:nose ?)?ble(?:e|a|ea)?d\w*"
_HOURS = r"for (?:over |more than |about |almost )?(?:an|one|half an|\d+|two|three|several) hours?"
_NOT_BLOOD_TEST = r"(?! (?:tests?|work|counts?|pressure|sugar|draw|levels?|thinners?|type|cells?|results?))"
_ROS1_DRUGS = (
    r"crizotinib|entrectinib|lorlatinib|repotrectinib|taletrectinib|xalkori|rozlytrek|lorbrena|augtyro|ibtrozi"
)
_MEDS = (rf"pills?|tablets?|capsules?|meds|medicines?|medications?|bottle|blister pack|painkillers|morphine|oxycodone|"
         rf"dexamethasone|{_ROS1_DRUGS}")
_GLUCOSE = r"(?:blood sugars?|sugars?|glucose|(?:glucose |sugar |blood )?meter|bg)"  # not "bm": a bowel movement too
_READS = (r"(?:levels? |reading )?(?:is |was |are |were |says |said |reads |read |of |at |showing |shows |down to |dropped to )?"
          r"(?:only |just |now )?")
_NOT_MEDS_NEXT = rf"(?! (?:\w+ ){{0,2}}(?:{_MEDS}))"  # "cant swallow her crizotinib capsules" is about pills, not a throat


def _any(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


# The writer's own thoughts of suicide or self-harm: urgent however the message is framed.
CRISIS = _any(
    r"(?:kill|shoot|hang|poison|drown|unalive|off) ?(?:my ?self|myself)", r"kms", r"unalive",
    r"(?:harm|harming|cutting) (?:my ?self|myself)", r"cut (?:my ?self|myself) on purpose",
    r"(?:want|wanna|going|urges?|thinking|thoughts?|plan\w*|tempted|feel(?:ing)? like)(?: to| of| about)? "
    r"(?:hurt|harm|cut|hurting|harming|cutting) (?:my ?self|myself)",
    r"(?:end|take|ending|taking) (?:my|this) (?:own )?life", r"end(?:ing)? it all",
    r"end(?:ing)? (?:it|things) (?:tonight|today|now|tomorrow|soon|this (?:weekend|week))",
    r"(?:going to|gonna|decided to|about to|want to|wanna) end (?:it|things|everything)(?! with)",
    r"so (?:its|it is|itll be|it will be|it would be) (?:all )?over",
    r"(?:drive|driving|drove|crash\w*|steer\w*) (?:my |the )?car into (?:a |the )?(?:tree|wall|truck|pole|river|lake)",
    r"(?:sleep|go to sleep|fall asleep) and (?:never|not) wake up",
    r"(?:pills|tablets|meds|medications) (?:are |all )?(?:lined up|laid out|counted out|in front of me)",
    r"(?:written|wrote|writing|write|said|saying) (?:my |his |her |our )?goodbyes?",
    r"(?:this is |its )?the last time (?:ill|i will|i am going to|im going to) (?:write|post|talk|message)",
    r"tell (?:my|the) (?:kids|children|son|daughter|family|wife|husband|partner) (?:that )?i lov",
    r"(?:easier|better) (?:for (?:everyone|everybody|them|my family) )?if i (?:wasnt|werent|was not|were not) (?:here|around)",
    r"(?:given|giving|gave) away (?:\w+ ){0,2}(?:things|stuff|belongings|possessions|watch|tools|jewell?e?ry)",
    r"locked (?:him|her|my|them)sel(?:f|ves) in",
    r"(?:standing|stood|sitting) on (?:a |the )?(?:\w+ )?(?:bridge|ledge|roof|edge)",
    r"(?:think\w*|thoughts?|want\w*|wanna|going|urges?|tempted|plan\w*) (?:about |of |to )?jump\w* (?:off|from|out of|in front of)"
    r" (?:the |a |my |our )?(?:\w+ )?(?:balcony|bridge|roof|building|ledge|cliff|window|train|car|truck)",
    r"no point (?:in )?going on", r"stop being a burden", r"(?:tonight|today) is the night",
    r"(?:quickest|easiest|fastest|least painful|painless|best) way to (?:end it|die|go|kill)",
    r"(?:found|finding|find) a (?:new )?home for (?:my |the )?(?:dog|cat|pets?|bird)(?! (?:because|since|as|while)\b)",
    r"(?:wont|will not) (?:need to worry about|be around for|be here for) (?:my|the) next",
    r"cut (?:my ?self|myself) (?:again|deeper)", r"(?:wont|will not) (?:need|be needing) (?:the|my|another) (?:next )?(?:prescription|refill)",
    r"(?:want|wanted|wanna|ready|plan\w*) (?:to )?(?:die|end it|end things)(?! with)",
    r"(?:dont|do not|no longer|dont really) (?:want|wanna) (?:to )?(?:live|be alive|be here|wake up|go on|exist)",
    r"wish (?:i|id) (?:was|were|could be|could) (?:dead|die)", r"(?:better off|rather be) dead",
    r"better off without me",
    r"(?:no|nothing to|no reason to|no point (?:in )?|whats the point (?:of|in) )liv(?:e|ing)", r"cant go on",
    r"(?:im|i am|feel|feeling|been|getting) (?:so |very |really |kind of |kinda |quite |pretty |a bit )?suicidal",
    r"suicide (?:note|plan)",
    r"(?:thinking|thought|thoughts|think) (?:about|of) (?:suicide|killing myself|ending (?:it|my life))",
    r"(?:saved|saving|stockpil\w*|hoard\w*) (?:up )?(?:\w+ ){0,2}(?:pills|meds|medications?|tablets)",
    r"(?:pills|meds|tablets) saved up", r"(?:i|im|i am|been) (?:\w+ )?self harm\w*",
)
# Words just before a crisis phrase that deny it ("im not suicidal").
CRISIS_NEGATION = frozenset(["not", "never", "dont", "didnt", "doesnt", "isnt", "arent", "wasnt"])
# "i want to die at home": a wish about care at the end of life, not a crisis.
DYING_WISH = re.compile(
    r" (?:at home|in (?:the |a )?(?:hospital|hospice|my sleep|peace)|peacefully|with dignity|comfortabl\w*|surrounded)"
)

SIGNS: dict[str, re.Pattern[str]] = {
    "breathing": _any(
        rf"{_CANT} (?:\w+ )?{_BREATHE}(?! easy| easier| a sigh| a word)",
        rf"{_CANT} (?:get|catch) (?:\w+ )?(?:air|breath|a breath)",
        r"(?:trouble|difficulty|struggling|struggle|hard time|problems?) (?:with )?breathing",
        rf"(?:hardly|barely) (?:\w+ )?{_BREATHE}",
        rf"(?:hard|difficult|impossible|struggling|struggle) to (?:{_BREATHE}|get air)",
        r"short(?:ness)? (?:of|on) breathe?", r"(?:gasping|fighting|struggling) for (?:air|breath)", r"gasping",
        r"choking(?! up)", r"suffocat\w*", r"(?:not|isnt|stopped|quit) breathing",
        r"(?:lips|face|fingers|fingertips|fingernails|nails|skin|mouth) (?:\w+ ){0,2}(?:blue|bluish|blueish|purple|gray|grey)",
        r"turn(?:ed|ing|s)? blue",
        r"(?:blue|bluish|blueish|purple|grey|gray) (?:around|on|round) (?:the |his |her |my |their )?(?:mouth|lips)",
        r"breathing like a fish", r"fish out of water", r"suddenly (?:\w+ ){0,2}(?:breathless|short of breath|out of breath)",
        r"(?:really |very |so )?out of breath (?:just )?(?:walking to|sitting|talking|lying)",
        r"(?:breathing|breath) (?:\w+ ){0,2}(?:sounds|sound) (?:strange|weird|funny|like (?:loud )?snoring|noisy|rattly)", r"(?:air|breathing|breathe) through a straw",
        r"every breath (?:is|feels) (?:\w+ )?(?:hard|like|a struggle|a fight|a battle|painful)",
        r"(?:he|she|hes|shes|they|theyre|you) (?:\w+ )?(?:looks|looking|look|turned|turning|gone|going) (?:\w+ )?"
        r"(?:grey|gray|blue)",
        r"breathing (?:is )?(?:really|very|so|super|too|extremely) (?:fast|slow|slowly|rapid|rapidly|quick|quickly)",
        r"(?:sats|saturation|saturations|oxygen|o2|spo2|oximeter|pulse ox|ox) (?:\w+ ){0,2}[4-8]\d\b(?! ?%? ?(?:years?|mg|ml))",
        r"feels? like (?:im|i am|hes|he is|shes|she is|theyre) drowning",
        r"breathing (?:is )?(?:\w+ )?(?:labou?red|shallow|rattl\w*|gurgl\w*|bad|terrible|awful|worse)",
        rf"{_CANT} (?:finish|complete|say) (?:a |my |full )?sentences?",
    ),
    "chest": _any(
        r"chest (?:pains?|tightness|pressure|discomfort|heaviness)",
        r"chest (?:\w+ ){0,2}(?:hurts?|hurting|is tight|feels tight|aches?|aching|crushing|squeezing)",
        r"chest (?:\w+ ){0,5}(?:squeezed|crushed|in a vice|like a vice)",
        # A sense of impending doom: an emergency sign of its own, however the rest is worded.
        r"(?:feels?|feeling) like (?:i|im|i am|hes|he is|shes|she is|they are|theyre) (?:going to|gonna|about to) die"
        r"(?! (?:of|from) (?:boredom|embarrassment|laughing|laughter|shame|cuteness))",
        r"(?:pains?|pressure|tightness|squeezing|crushing|heaviness|weight|burning)(?: feeling| sensation)? (?:in|on) "
        r"(?:the (?:middle|centre|center) of )?(?:my|his|her|their|the) chest",
        r"(?:crushing|squeezing|stabbing|severe) (?:\w+ ){0,3}chest", r"chest (?:\w+ ){0,2}feels like",
        r"chest (?:is )?killing", r"(?<!about to have a )(?<!give me a )(?<!give her a )(?<!give him a )(?<!give you a )(?<!give us a )"
        r"heart attack(?! (?:over|about|at|when)\b)", r"chest (?:is |feels )?(?:\w+ )?tight\b",
        r"pain (?:\w+ ){0,4}(?:into|to|down|up) (?:my|his|her) (?:jaw|left arm)",
    ),
    "bleeding": _any(
        r"(?:cough\w*|spit\w*|spat|throw\w* up|threw up|vomm?itt?\w*|puk\w*|hack\w*) "
        r"(?:up )?(?:\w+ ){0,8}?(?:blood|clots?)"
        + _NOT_BLOOD_TEST,
        r"(?:blood|bloody) (?:in|with) (?:my |his |her |the )?(?:vomit|sputum|phlegm|spit|mucus|saliva|cough)",
        r"(?:bloody|blood stained) (?:vomit|sputum|phlegm|spit|mucus|cough)",
        r"(?:cough\w*|spit\w*|hack\w*) up (?:\w+ ){0,2}red\b",
        r"soak\w* (?:\w+ ){0,2}through (?:\w+ ){0,2}(?:towels?|bandages?|dressings?|pads?|gauze)", r"towel after towel",
        r"blood (?:\w+ ){0,3}(?:when|while|with|every time|as) (?:\w+ ){0,2}cough\w*",
        r"(?:bring\w*|brought) up (?:\w+ ){0,3}?blood" + _NOT_BLOOD_TEST,
        _BLEED + r" (?:\w+ ){0,8}?"
        r"(?:wont|will not|doesnt|does not|cant|cannot|isnt|is not|wouldnt|would not|hasnt|has not)"
        r" (?:stop|slow)\w*",
        rf"(?:wont|will not|cant|cannot|doesnt|does not) stop (?:the )?{_BLEED}",
        r"(?:heavy|heavily|severe|severely|uncontrolled|uncontrollable|massive|profuse|profusely|"
        r"a lot of|lots of|so much|"
        rf"tons of|gushing|pouring|spurting|pumping) (?:\w+ )?(?:{_BLEED}|blood{_NOT_BLOOD_TEST})",
        rf"{_BLEED} (?:\w+ )?(?:heavily|heavy|a lot|badly|profusely|everywhere|nonstop|non stop)",
        _BLEED + r" (?:\w+ ){0,3}" + _HOURS, rf"{_BLEED} through", r"h(?:a)?emorrhag\w*",
        r"(?:blood|bleeding) (?:is )?(?:\w+ )?(?:gushing|pouring|spurting|pumping|everywhere)",
        r"(?:vomm?itt?\w*|throw\w* up|threw up) (?:\w+ ){0,8}?coffee grounds?",
    ),
    "stroke": _any(
        r"(?:face|smile|mouth) (?:\w+ ){0,3}(?:droop\w*|lopsided|crooked)",
        r"droop\w* (?:on )?(?:one|the left|the right|1) side",
        r"slurr\w*", r"speech (?:is )?(?:\w+ )?(?:garbled|slurred|weird|strange|off)",
        rf"{_CANT} (?:talk|speak|get (?:\w+ )?words out|find (?:\w+ )?words)(?! (?:to|with|about|for|on)\b)",
        rf"{_CANT} (?:move|feel|lift|raise) {_PERSON} (?:left |right )?(?:arm|leg|side|face)",
        r"(?:face|arm|leg|side) (?:\w+ ){0,3}(?:numb|limp|paraly[sz]\w*)",
        # the spinal cord pressed on: no feeling or control of the bladder or bowels
        rf"{_CANT} (?:feel|control) (?:\w+ ){{0,4}}(?:pee|wee|urinate|bladder|bowels?|poo)\b",
        r"(?:lost|losing|loss of) (?:control of )?(?:\w+ )?(?:bladder|bowels?)\b",
        # and its other red flags: numbness of the saddle area; legs weak or numb with back or spine pain
        r"numb\w* (?:\w+ ){0,3}(?:bum|buttocks?|bottom|backside|groin|saddle|between (?:my |his |her )?legs)\b",
        r"(?:back|spine|spinal) (?:\w+ ){0,12}legs? (?:\w+ ){0,3}(?:weak|wobbly|giving way|gave way|buckling|numb)\b",
        r"(?:numb|weak)\w* on (?:one|the left|the right|1) side",
        r"(?:sudden|suddenly) (?:\w+ ){0,3}(?:numb|weak\w*|limp|paraly[sz]\w*)",
        r"(?:numb|limp|paraly[sz]\w*) (?:\w+ ){0,3}suddenly",
        r"(?:having|has|have|had|is having) (?:a |an )?(?:mini )?(?:stroke|tia)", r"stroke symptoms",
        r"signs? of (?:a )?stroke",
        r"(?<!giving me the )(?<!gives me the )(?<!gave me the )"
        r"(?:worst|sudden|thunderclap|excruciating|explosive|unbearable) (?:\w+ )?headache"
        r"(?! (?:ever )?(?:over|from|with|about|trying|filling|reading|doing)\b)",
        rf"{_CANT} see (?:out of|(?:anything )?(?:with|from|in) {_PERSON} (?:left |right )?eye)",
        r"suddenly (?:cant|cannot) see",
        r"disoriented",
        r"(?:doesnt|does not|didnt|cant) recogni[sz]e (?:me|us|anyone)",
        r"(?:very|really|suddenly|extremely) confused"
        r"(?! (?:about|by|with|why|how|what|as|whether|if|on|over|regarding|because)\b)",
        r"(?:he|she|they|hes|shes|theyre) (?:is |are )?(?:not|isnt|arent) making (?:any )?sense",
        r"(?:talking|talks|speaking|saying) (?:\w+ )?(?:gibberish|nonsense)(?! in (?:his|her|my|their) sleep)",
        r"(?:half|one side of) (?:his |her |my |their |the )?(?:face|smile|mouth)", r"(?:now|and) not (?:speak|talk)\w*",
        r"(?:smile|face) (?:\w+ )?(?:isnt|is not|not) working",
        r"(?:doesnt|does not|dont|didnt) know where (?:he|she|they|i) (?:is|are|am|was)",
        r"(?:asking|asks|ask) what (?:year|day) it is", r"(?:and|but) not making (?:any )?sense",
        r"seeing (?:people|things|faces|animals) (?:who|that)? ?(?:arent|are not|werent) (?:there|real)",
    ),
    "collapse": _any(
        r"(?:passed|passing|passes|blacked|blacking) out",
        r"(?:going to|gonna|about to) (?:pass out|faint|black out|collapse)",
        r"(?<!a )(?<!very )(?<!feel )(?<!feels )(?<!feeling )(?<!felt )faint(?:ed|ing|s)?", r"collaps\w*", r"uncon\w*ous", r"unresponsive", r"not responding",
        r"(?:wont|will not|cant|doesnt|isnt|is not|not) wak(?:e|ing)(?: up)?", r"cant wake (?:\w+ ){0,2}up",
        r"no pulse", rf"{_CANT} (?:stay awake|keep awake|keep (?:\w+ )?eyes open)", r"(?:hard|impossible) to (?:wake|rouse)",
        r"slumped", r"(?:doesnt|does not|wont|isnt|not) (?:react|respond)\w* (?:when|to (?:us|me|anything|his name|her name|touch))",
        # not answering the person with them (a call, a text or an email not answered is no sign)
        # ("wont give us a straight answer" asks for information: no sign)
        r"(?:wont|will not|doesnt|does not|do not|dont|isnt|is not|not) (?:\w+ ){0,4}"
        r"(?<!straight )(?<!\bclear )(?<!proper )(?<!direct )(?:answer|answering)\b"
        r"(?! (?:my|the|our|your|his|her|their|any|all|calls?|phones?|emails?|texts?|messages?|questions?)\b)"
        r"(?! (?:when|if) (?:i|we|you) (?:call|ring|phone|try|text|email)\b)",
        r"(?:skin|eyes) (?:\w+ ){0,5}yellow\w* (?:\w+ ){0,6}(?:confused|drowsy|sleepy)",
        rf"seizures?(?! free| (?:{_MEDS}|drugs?|prevention)\b)|seizing|seizer|convuls\w*", r"first (?:one|fit|seizure) ever",
        r"(?:confused|disoriented|groggy) and (?:\w+ )?(?:drowsy|sleepy)",
        r"(?:drowsy|sleepy) and (?:\w+ )?(?:confused|disoriented)", r"(?:barely|hardly) (?:\w+ )?wake", r"having (?:a |another )?fit\b(?! (?:about|over|because|when|at|with))", r"(?:been|is|keeps|started) jerking",
        r"(?:on|to) the (?:\w+ )?floor (?:\w+ ){0,3}(?:cant|cannot|can not|unable to) get up",
        r"(?:fell|fallen|collapsed) (?:down )?and (?:cant|cannot|can not) get up", r"(?:think|feel like) (?:im|i am|hes|he is|shes|she is) dying",
        r"(?:im|i am) dying(?! (?:to|of|from|with|slowly|inside)\b)",
    ),
    "allergy": _any(
        r"anaphyla\w*", r"allergic reaction", r"throat (?:\w+ ){0,3}(?:closing|swell\w*|swollen|tight)",
        r"(?:tongue|lips?) (?:\w+ ){0,2}(?:swell\w*|swollen|thick|fat|huge|getting (?:fat|big|thick))",
        r"(?:hard|difficult|struggling|struggle) to swallow" + _NOT_MEDS_NEXT,
        r"hives (?:all over|everywhere|spreading)", r"covered in (?:hives|welts|itchy)", r"welts",
        r"eyes (?:\w+ ){0,2}(?:swelling|swollen|puffing|puffed|puffy) (?:up )?shut",
        rf"{_CANT} (?:\w+ )?swallow" + _NOT_MEDS_NEXT, r"swell\w* (?:\w+ ){0,2}(?:throat|tongue)", r"epi ?pen",
    ),
    "fever": _any(
        r"(?:high|very high|spiking|raging|severe|bad|big|burning) (?:a )?(?:fever|temp\w*)",
        r"spik\w* (?:a )?(?:fever|temp\w*)",
        r"fever (?:and|with) (?:\w+ )?(?:chills|rigors|shaking|shivering)",
        r"(?:shaking|shivering|uncontrollable) chills",
        r"rigors", r"burning up", r"neutropenic fever", r"febrile neutropenia", r"hot to the touch",
        r"teeth (?:\w+ ){0,3}chatter\w*",
        r"running (?:a |at )?(?:10[1-9]|39|40|41|38[.,]\d|39[.,]\d|40[.,]\d)\b(?! ?(?:m|km|k|miles|meters|metres|minutes|mins|laps|times)\b)",
    ),
    # sudden loss of sight or hearing (a stroke, a detached retina, sudden deafness): hours matter
    "senses": _any(
        r"(?:lost|losing) (?:\w+ )?(?:vision|sight)", r"(?:sudden )?(?:vision|sight) (?:loss|is gone|went)",
        r"blind in (?:one|my|his|her) \w*\s?eye",
        r"(?:sudden|suddenly|completely|totally|just) (?:\w+ ){0,2}(?:lost|lose|losing) (?:\w+ ){0,3}(?:hearing|sight|vision)",
        r"(?:vision|sight|hearing) (?:in (?:\w+ ){0,2}(?:eyes?|ears?) )?(?:has |have )?(?:went|gone|going|turned) "
        r"(?:completely |totally |suddenly |all )?(?:black|dark|blank|blind|deaf)",
        r"(?:suddenly|completely|totally|just) (?:gone|went|going) (?:completely |totally )?(?:deaf|blind)",
    ),
    "dehydration": _any(
        rf"{_CANT} keep (?:\w+ ){{0,2}}(?:water|fluids?|anything|food|liquids?|drinks?) down",
        r"(?:havent|hasnt|has not|have not|not|no) (?:\w+ )?(?:peed|urinated|weed|pee|wee|urine) (?:since|all|for)",
        r"no (?:wee|pee|urine) (?:all|since|for)", r"too weak to (?:stand|walk|get up|sit up)", r"(?:had to )?crawl to",
    ),
    "overdose": _any(
        r"overdos\w*",
        r"(?:took|taken|swallowed) (?:like |about |around |maybe |over |almost |nearly )?"
        r"(?:\d{2,}|twenty|thirty|forty|fifty|a handful) (?:of )?(?:my |his |her |the )?(?:\w+ ){0,2}(?:pills|tablets|capsules)",
        r"doubled (?:up )?(?:on )?(?:my|his|her) (?:dose|\w+)",
        r"(?:took|taken|swallowed|take) (?:\w+ ){0,4}?(?:too many|too much|"
        r"(?:a |the )?(?:whole|entire) (?:\w+ )?(?:bottle|pack|packet|box|week|month)|"
        r"all (?:of )?(?:my|his|her|the) (?:\w+ )?(?:pills|tablets|meds|medicine|medication|capsules)|"
        r"(?:weeks?|days|months?) (?:worth|supply))",
        r"(?:kid|child|son|daughter|boy|girl|toddler|baby|grandson|granddaughter|grandchild|dog|puppy|cat|"
        r"year old|yr old)s? "
        r"(?:\w+ ){0,3}(?:swallowed|ate|has eaten|got into|chewed|got hold of|got ahold of|grabbed) (?:\w+ ){0,7}?"
        r"(?:" + _MEDS + ")",
        r"(?:took|taken|take) (?:it |them |my \w+ )?(?:\w+ ){0,6}again (?:\w+ ){0,6}by mistake",
        r"forg[eo]t\w* (?:and|then) (?:\w+ ){0,2}?(?:took|taken|had|swallowed) (?:another|a second|an extra|a 2nd) "
        r"(?:full )?(?:dose|pill|tablet|capsule)|forg[eo]t\w* (?:i|she|he|they|we) (?:had )?already (?:took|taken|had)",
        r"(?:double|triple|two|three|3|2|extra) doses? (?:by mistake|by accident)|by mistake (?:\w+ ){0,3}(?:doses?|double|triple)"
        r"|so (?:3|three|2|two) doses",
    ),
    # Blood sugar dangerously low now: a meter's reading under 3.0 mmol/L (54 mg/dL), the clinical threshold of
    # serious hypoglycaemia, whatever the page is about (diabetes is common beside cancer and steroids).
    "low sugar": _any(  # not a multiple ("2.5 times"), a duration or a time of day ("at 2 pm", "at 1:30")
        rf"{_GLUCOSE} {_READS}(?:[0-2][.,]\d|[12])(?![.,]?\d)(?! ?(?:mg|times|x|hours?|hrs?|days?|weeks?|%|percent|am|pm|o ?clock)\b)(?!:)",
        rf"{_GLUCOSE} {_READS}(?:[1-4]\d|5[0-3]) ?mg",
    ),
    "suicide": _any(
        r"suicid\w*|sucid\w*|suicd\w*|suiside\w*", r"self harm\w*",
        r"(?:kill|hurt|harm)(?:ing)? (?:him|her|them)(?:self|selves)",
        r"thoughts? (?:of|about) (?:ending|killing|hurting|harming|dying)",
    ),
}
MILD_KINDS = frozenset({"breathing", "chest", "bleeding", "allergy", "fever"})  # signs that "a bit" or "mild" soften

# Fever: a temperature at or above the threshold in a sentence about fever, or the word itself during treatment.
FEVER_WORD = re.compile(r"\b(?:fe+a?ver\w*|temp|temps|temp\w*ature|thermometer|febrile|chills|shiver\w*|rigors)\b")
FEVER_ALONE = re.compile(r"\b(?:fe+a?ver\w*|febrile)\b")
TREATMENT = re.compile(
    r"\b(?:chemo\w*|treatment|infusion|immuno\w*|therapy|keytruda|opdivo|tki|targeted|carboplatin|pemetrexed|"
    rf"{_ROS1_DRUGS}|pembrolizumab|nivolumab|neutropen\w*|white (?:blood )?count)\b"
)
NUMBER = re.compile(r"(?<![\d.,])(\d{2,3}(?:[.,]\d{1,2})?)(?![\d])")
UNIT = re.compile(r"\s?(?:°|º|degrees?|deg)?\s?(c|f|celsius|fahrenheit|centigrade)?\b")
FEVER_CELSIUS = 38.0
FEVER_FAHRENHEIT = 100.4

# Who a sign can belong to: the writer, or someone they are with.
SUBJECT = frozenset(
    ["i", "im", "ive", "id", "me", "my", "mine", "myself", "we", "us", "our", "he", "hes", "him", "his", "she", "shes", "her", "they", "theyre", "them", "their"]
)
PEOPLE = frozenset(
    ["wife", "husband", "partner", "spouse", "mom", "mum", "mother", "mama", "mommy", "dad", "father", "papa", "daddy", "son", "daughter", "child", "kid", "baby", "friend", "brother", "sister", "grandma", "grandpa", "grandmother", "grandfather", "boyfriend", "girlfriend", "fiance", "fiancee", "aunt", "uncle", "cousin", "neighbor", "neighbour", "roommate"]
)
# A film, a novel or a documentary: what happens in it is reported, not happening to the writer.
STORIES = frozenset(["film", "movie", "drama", "documentary", "novel", "book", "episode", "series", "character"])
# Words that open a condition ("if i ever", "when she"): what follows may happen, it is not said to be happening.
CONDITIONAL_WORDS = frozenset(["if", "when", "whenever", "ever"])
# A condition anywhere earlier in the sentence makes what follows hypothetical ("what do i do if i feel like im
# about to"): these, not "when" (which cost an emergency: "much worse when I breathe in").
CONDITION = frozenset(["if", "case", "suppose"])
# Words between a person and a sign that make it general, hypothetical or reported ("i read it can cause …").
BLOCKERS = CONDITIONAL_WORDS | frozenset(
    ["can", "could", "would", "might", "may", "will", "should", "cause", "causes", "caused", "causing", "side", "effect", "effects", "risk", "risks", "chance", "prevent", "avoid", "worried", "worry", "afraid", "scared", "fear", "heard", "said", "says", "told", "ask", "asked", "asking", "wonder", "wondering", "know", "about", "likely", "possible", "normal", "common", "nightmare", "dream", "dreamt", "dreamed", "someone", "somebody", "watched", "tv", "show"]
) | STORIES
# Words before a person that make what follows hypothetical or reported ("what if i", "my friend said she").
HYPOTHETICAL = CONDITIONAL_WORDS | CONDITION | frozenset(
    ["said", "told", "heard", "read", "know", "can", "could", "would", "should", "will", "might", "may", "after", "before", "once"]
)
# "she fainted yesterday but is fine now": a faint or fit that is over, the person recovered since, is no emergency
# now (it is reported to the team); a sign after the recovery still counts. Other signs stay urgent after they ease:
# chest pain or stroke signs that pass are not safe.
RECOVERED = re.compile(r"(?<!not )(?<!never )\b(?:fine|ok|okay|alright|all right|better|back to normal) now\b(?! and then)")
RECOVERING_KINDS = frozenset({"collapse"})
NEGATION = frozenset(["no", "not", "dont", "didnt", "doesnt", "never", "without", "isnt", "arent", "wasnt", "havent", "hasnt", "nor"])
MILD = frozenset(["slight", "slightly", "little", "bit", "mild", "mildly", "minor", "low"])
# "after my seizure": the sign names an event that is over (what follows it may still be urgent).
AFTER_EVENT = re.compile(r"\bafter (?:having )?(?:my|his|her|their|the|a|an|that) $")
HISTORY = re.compile(r"\bhad (?:a |an )?(?:mini )?(?:stroke|tia|heart attack)")
DISTANT_PAST = re.compile(
    r"\b(?:last (?:week(?:end)?|month|year|summer|winter|spring|fall|autumn|time|christmas|easter|thanksgiving|birthday)|years back|"
    r"(?:died|passed away)|when (?:i|he|she) was (?:a )?(?:kid|child|teenager|teen|young|little|baby)|"
    r"as a (?:kid|child|teenager|teen)|(?:at|towards?|near) the end|nightmare|dream\w*|"
    r"(?:\d+|a|an|one|two|three|four|five|six|few|several|couple(?: of)?) (?:days?|weeks?|months?|years?) ago|"
    r"(?:years|months|weeks) ago|in (?:19|20)\d\d|back in|in the past|used to|history of|previously|"
    r"when (?:i|he|she|they) (?:was|were) (?:first )?diagnosed|at diagnosis)\b"
)
# "since last week", "ever since two days ago": what began then goes on now.
ONGOING = re.compile(r"\b(?:since|from) (?:a |an |the )?$")
CLAUSE_BREAK = re.compile(r"\b(?:and|but|now|then|because|though|although)\b|,")

# A sentence that opens as a question, or speaks of signs in general, asks for information.
QUESTION_START = frozenset(
    ["can", "could", "does", "do", "did", "is", "are", "was", "were", "will", "would", "what", "whats", "which", "how", "hows", "why", "when", "should", "may", "might", "has", "have", "any", "anyone", "anybody", "who", "where", "tell", "explain", "list"]
)
GENERAL = frozenset(
    ["cause", "causes", "caused", "causing", "side", "effect", "effects", "risk", "risks", "common", "commonly", "rare", "rarely", "normal", "usual", "usually", "typical", "likely", "possible", "sign", "signs", "symptom", "symptoms", "mean", "means", "happen", "happens", "linked", "related", "associated", "lead", "prevent", "avoid", "manage", "expect", "people", "patients", "someone", "anyone", "anybody", "person", "you", "your", "if", "when", "whenever", "ever", "case", "could", "would", "might", "may", "will", "said", "told", "heard", "read", "article"]
) | STORIES
# Asking whether to call an ambulance or go to the emergency room is urgent on its own.
EMERGENCY_CALL = re.compile(
    r"\b(?:should|do|must|shall) (?:i|we) (?:call|phone|dial|need) (?:an? |the )?"
    r"(?:911|999|112|ambulance|paramedics|emergency services)\b"
    r"|\b(?:should|do|must) (?:i|we) (?:go|take (?:him|her|them|me)|rush \w+) to "
    r"(?:the )?(?:er|emergency(?: room| department)?|a&e)\b"
)
# A call for help makes a sign in the same sentence urgent even when no person is named.
HELP = re.compile(
    r"\b(?:help (?:me|us|him|her|them|please)|need help|please help|someone help|call (?:911|999|112|an ambulance))\b"
    r"|^help\b|\bhelp$|\b(?:should|do|must) (?:i|we) (?:go|take \w+|rush \w+) to (?:the )?hospital\b"
)
CONDITIONAL = re.compile(rf"\b(?:{'|'.join(sorted(CONDITIONAL_WORDS))})\b")
