"""Frequent chat words per language, for telling apart languages that share a script.

Each entry is a label: an ISO 639-1 code (`ckb` Sorani, `ku` Kurmanji; `bs` is Bosnian,
Croatian and Serbian in Latin script, `sr` Serbian in Cyrillic), with `-Latn` for the
romanised writing of a language that has its own script. Words are lowercase, separated by
whitespace. A word listed for several labels counts for each of them a little.
"""

WORDS: dict[str, str] = {
    "en": """
        i you he she we they it me him her us them my your his our their mine the a an is are am was
        were be been being not no yes yeah yep please pls plz thanks thank thx hello hi hey bye goodbye
        good morning evening night sorry okay ok help need needs want wanna where when what who why how
        much many can could would will should do does did dont cant im didnt wont have has had go going
        gone come coming know understand speak english there here this that these those with for from to
        in on at and or but if about money police border camp doctor hospital passport asylum work job
        food water sleep bus train ticket phone charge charger family mother mom mum father dad brother
        sister child children kids baby wife husband friend one two three four five six seven eight nine
        ten today tomorrow now later tonight sick pain hurt hungry tired lost call send address location
        free safe day time name country lawyer papers document documents visa card some any get give
        take tell just also very really still again nothing something everything someone anyone shelter
        clothes shoes medicine toilet shower wifi internet taxi station near far left right
    """,
    "fr": """
        je j tu il elle nous vous ils elles on moi toi lui leur eux mon ma mes ton ta tes son sa ses
        notre votre nos vos le la les un une des du de et ou où mais est suis es sommes êtes etes sont
        ai as avons avez ont pas ne non oui ouais bonjour bonsoir salut merci beaucoup svp stp plaît
        plait revoir aide aidez aider besoin veux voudrais voulons peux pouvez peut pourquoi quand
        comment combien quoi qui quel quelle quels argent frontière frontiere médecin medecin docteur
        hôpital hopital passeport papiers famille mère mere père pere frère frere soeur sœur enfant
        enfants bébé bebe femme mari ami amie deux trois quatre cinq sept huit neuf dix demain
        maintenant soir ici là avec pour dans sur chez manger eau dormir malade mal faim fatigué fatigue
        perdu travail asile logement téléphone telephone appeler parler français francais anglais
        comprends comprend comprendre sais savoir aller vais va viens venir faire fais fait rien très
        tres bien bon bonne nuit désolé desole pardon excusez voilà voila cest ça ca aujourdhui hier
        cette ce cet y mdr slt bjr jsp chui jai dois doit faut
    """,
    "de": """
        ich du er sie wir ihr es mich mir dich dir ihn ihm uns euch mein meine meinen dein deine sein
        seine unser unsere der die das den dem des ein eine einen einem ist bin bist sind seid war waren
        nicht kein keine keinen nein ja doch hallo servus moin guten tag morgen abend nacht danke
        dankeschön bitte tschüss tschuss tschüs wiedersehen hilfe helfen hilf brauche brauchen will
        wollen möchte mochte moechte kann kannst können koennen wo wann wie viel viele was wer warum
        wieso wohin woher geld polizei grenze lager arzt ärztin krankenhaus reisepass ausweis papiere
        familie mutter vater bruder schwester kind kinder frau mann freund eins zwei drei vier fünf
        fuenf funf sechs sieben acht neun zehn heute jetzt hier dort mit für fur fuer von zu und oder
        aber essen wasser schlafen krank hunger müde mude muede verstehe spreche sprechen deutsch
        englisch gehen fahren habe hast hat haben gut schlecht sehr entschuldigung asyl arbeit wohnung
        zug fahrkarte handy anrufen auch noch schon nur kommen komme gibt heißt heisst name nichts etwas
    """,
    "tr": """
        ben sen o biz siz onlar beni bana benim seni sana senin onun bizim sizin evet hayır hayir yok
        var değil degil merhaba selam selamünaleyküm günaydın gunaydin iyi akşamlar aksamlar teşekkürler
        tesekkurler teşekkür tesekkur sağol sagol sağolun sagolun lütfen lutfen görüşürüz gorusuruz
        hoşçakal hoscakal yardım yardim yardıma yardima edin eder misiniz misin musun mı mi mu mü ne
        nerede nerde nereye nereden neresi zaman kaç kac kaça kaca nasıl nasil neden niye niçin kim para
        polis sınır sinir doktor hastane pasaport kimlik aile anne annem baba babam kardeş kardes
        kardeşim kardesim abi abla çocuk cocuk çocuklar cocuklar eşim esim karım karim kocam arkadaş
        arkadas bir iki üç dört dort beş bes altı alti yedi sekiz dokuz on bugün bugun yarın yarin şimdi
        simdi burada burda orada orda su yemek ekmek uyumak hasta aç yorgun istiyorum istiyoruz istiyor
        lazım lazim gerek gerekiyor ihtiyacım ihtiyacim ihtiyaç biliyorum bilmiyorum anlamıyorum
        anlamiyorum türkçe turkce konuşuyorum konusuyorum konuşabilir ve ile ama için icin çok cok tamam
        gidiyorum gitmek geldim otobüs otobus bilet şarj sarj adres iş vize mülteci multeci iltica bu şu
        kardeşler bey hanım abim abicim
    """,
    "so": """
        aniga anigu adiga adigu isaga iyada annaga anaga innaga idinka iyaga waan waxaan waad wuu way
        waxay haa maya mayo ahay tahay yahay nahay tihiin salaan nabad iska warran see mahadsanid
        mahadsanidin mahadsan nabadgelyo gelyo caawimaad caawi caawiya caawimo baahanahay baahan rabaa
        doonayaa xaggee halkee meeqa imisa goorma sidee maxaa maxay yaa lacag lacagta booliska booliis
        xuduud xuduudka xadka xerada xero dhakhtar dhaqtar dhakhtarka isbitaal isbitaalka baasaboor
        baasaboorka qoys qoyska hooyo hooyaday aabe aabbe aabahay walaal walaalo walaalkay walaashay
        carruur caruur ilmo ilmaha xaas saaxiib kow hal labo laba saddex sadex afar shan lix toddoba
        todoba siddeed sideed sagaal toban maanta berri hadda halkan halkaas biyo cunto raashin hurdo
        jiran xanuun gaajo daal soomaali afsoomaali ingiriis garanayo garan fahmin waxba iyo oo ka ku ee
        ah baan baa waa maxaad wanaagsan fiican subax galab habeen shaqo guri baska tareen taleefan
        telefoonka magacaygu magacaa jooga joogaa tagayaa aadayaa imaan walaalka ma aan
    """,
    "sq": """
        unë une ti ai ajo ne ju ata ato mua ty im ime yt jote jam je është eshte jemi jeni janë jane
        ishte nuk mos jo po përshëndetje pershendetje tungjatjeta tung mirëdita miredita mirëmëngjes
        miremengjes mirëmbrëma mirembrema faleminderit flm rrofsh mirupafshim ndihmë ndihme ndihmoni
        ndihmo më duhet dua kam ke ka kemi keni kanë kane ku kur sa si pse çfarë cfare çka cka kush lekë
        leke policia policinë policine polici kufiri kufi kufirin kampi mjek mjeku doktori spitali
        spital pasaporta pasaportë pasaporte familja familje nëna nena babai vëllai vellai vëlla vella
        motra motër fëmijë femije fëmijët femijet gruaja burri shoku shok një nje dy tre katër kater
        pesë pese gjashtë gjashte shtatë shtate tetë tete nëntë nente dhjetë dhjete sot nesër neser tani
        këtu ketu atje ujë uje ushqim bukë buke fle gjumë gjume sëmurë semure uritur lodhur shqip
        anglisht flas flisni kuptoj di shkoj vij dhe ose por për per në shumë shume mirë mire keq çkemi
        ckemi qysh kah rrugë rruge autobusi treni bileta telefoni punë pune azil strehim dokumente
        letërnjoftim vetëm edhe diçka dicka asgjë asgje kjo ky këtë kete qe që
    """,
    "ku": """
        ez tu ew em hûn hun min te wî wi wê we me xwe yê yên erê ere belê bele nexêr nexer silav slav
        rojbaş rojbas êvarbaş evarbas spas sipas zor xêr xer hatî hati xatirê xatire oxir alîkarî
        alikari arîkarî arikari hewce pêwîst pewist dixwazim dixwazî dixwazi dixwazin divê dive kû kengê
        kenge kengî kengi çend cend çiqas ciqas çawa cawa çima cima çi ci kî pere polîs sînor sinor
        bijîşk bijisk nexweşxane nexwesxane pasaport malbat dayik bav bavo bira birayê xwişk xwisk xweşk
        zarok zarokên jin mêr hevalê heval yek du sê çar pênc penc şeş heft heşt hest neh deh îro iro
        sibê sibe niha vir li ji bi di ve û lê av nan xwarin razê nexweş nexwes birçî birci westiyayî
        westiyayi kurdî kurdi kurmancî kurmanci dizanim nizanim têdigihim tedigihim fam nakim diçim
        dicim têm tem baş bas pir gelek nabe dibe rê otobus bilêt kar xanî mal navê çawayî cawayi başî
        basi ezê heye hene tune nîne nine ne na kurê keça keç hûnê were bêje dikarim nikarim
    """,
    "bs": """
        ja ti on ona ono mi vi oni one me te ga nju nas vas ih moj moja moje tvoj tvoja naš vaš njegov
        sam si je smo ste su nisam nije nismo niste nisu bio bila ne da nema ima imam imaš imas imamo
        zdravo ćao cao bok dobar dan dobro jutro veče vece večer vecer laku noć noc hvala puno mnogo
        fala molim izvinite izvini oprostite doviđenja dovidjenja dovidenja pozdrav pomoć pomoc pomozite
        pomozi treba trebam trebamo trebaju hoću hocu hoćemo hocemo želim zelim mogu možete mozete može
        moze gdje gde kada kad koliko kako zašto zasto šta sta što sto ko tko koji koja novac pare novca
        policija policajac granica granicu logor kampu ljekar lekar doktor doktora bolnica bolnicu pasoš
        pasos putovnica papiri dokumenti porodica obitelj familija majka mama otac tata brat sestra
        dijete dete djeca deca žena zena muž muz prijatelj drug jedan jedna dva dvije dve tri četiri
        cetiri pet šest sest sedam osam devet deset danas sutra sada sad ovdje ovde tamo voda hrana
        jesti spavati bolestan bolesna gladan gladna umoran razumijem razumem govorim engleski bosanski
        srpski hrvatski idem ići ici doći doci autobus voz vlak karta posao stan azil adresa i ili ali
        za sa u na od do iz kod baš jako vrlo loše lose kuća kuca nemam nemamo znam neznam brate bre
    """,
    "ar-Latn": """
        ana enta inta anta enti inti ente howa huwa hiya ehna e7na ni7na nahna intu entom antum homa hum
        mish msh mesh mush mafi mafee mafish la2 la aiwa aywa eh ey na3am naam shu shou sho shoo esh
        eish 3ashan 3shan leh lesh leish wein wen wain fein feen emta imta ade2 adesh addesh kam kaddesh
        bkam b2adesh kif kef keef kifak kifik kefak kifkon izzay ezay izay ezzay ezayak 3amel 3amla
        keefak shlonak shlonek mar7aba marhaba marhba ahlan assalamu alaikum salamu alaykum shukran
        shokran shukraan choukran chokran yalla yallah inshallah insha2allah nshallah wallah walla
        wallahi mashallah alhamdulillah hamdulillah habibi 7abibi habibti ya akhi akhoya khouya khoya
        ukhti okhti a7tag ahtag e7tag mehtag me7tag m7taj bidi biddi bddi badi abghi bghit bgheet bghina
        3ayez 3ayz 3awez 3ayza 3andi andi 3ndi ma3i m3a 3la 3ala 3an ila msa3ada mosa3da musa3ada
        musa3deh mosaada sa3dni sa3edni sa3idni saedni flous fulus masari mas2ari floos shurta shorta
        7odod 7dood hudud mokhayam mukhayyam tabib daktor mustashfa jawaz basbor omi ommi oummi abuya
        akhoy weladi wlad atfal mrati zoji sa7bi sahbi wa7ed wahed itnein etnen tnein tlata talata
        arba3a khamsa sitta setta sab3a tamanya tmanya tis3a tes3a 3ashra ashara elyom lyoum bokra bukra
        hala2 halla2 delwa2ti dilwa2ti daba hon hena hna hunak mayy moya akl akel ta3ban mareed marid
        ji3an ga3an 3arabi arabi a3raf ba3rif m3rfsh mabaref mafhemt fahem akid tayeb tayyeb tamam kteer
        ktir kter awi 2awi shwaya shway shwi bas lazim lazem momken mumkin mumken ahl tab3an yani ya3ni
        3afwan afwan
    """,
    "fa-Latn": """
        salam salaam khobi khubi khoobi chetori chetorin chetorid khoobam khubam khubin merci mersi
        mamnoon mamnun mamnoonam lotfan man to shoma oon un ou anha ina ona chi chera chra koja kojast
        kojaye kojai key kei chand chanda chejuri chetor che kheili khaili kheyli hast hastam hasti
        hastim hastan nist nistam nadaram daram dari dare darim baleh bale areh na nah kho khob komak
        komakam kon konid konin mikham mikhastam mikhaym mikhai mikhay mikhayn bayad lazem niaz mikonam
        mikonid mitoonam mitunam mitoonid mitunid beram biam miram miyam boro bia pool pul polis marz
        doktor bimarestan gozarnameh pasport khanevade khanevadeh madar pedar baradar khahar bache
        bacheha zan shohar shoharam doost dust rafigh yek do se char chahar panj shesh haft hasht noh
        dah emruz emrooz farda alan inja onja unja ab ghaza nan khab khaste gorosne gorosnam mariz farsi
        inglisi midunam midoonam nemidunam nemidoonam nemifahmam ba az be ke ro ra va vali ama baraye
        bara ham khoda khodahafez khodafez felan shab bekhair bekheir sobh befarmaid bebakhshid
        bebakhshin jan joon aziz agha khanom kar khune khaneh otobus bilit gushi goshi sharj astum astam
        asti tashakor tashakur tashakkur jor jur kuja chitor mitanam metanam mekhaham chiz hichi esmam
    """,
    "ps-Latn": """
        za zə ta sta staa zma zama zmung zmong mung moong tasu tase hagha haghe dai dey da de di dy ye
        yem yam yi sanga tsanga singa sangay chare charta cherta chirta cheri kala tso tsomra somra
        sumra tsa tsok sok waly wali walay manana manena mehrabani mehrabaani ghwaram ghwarm ghwaro
        ghwari ghwaray ghwarai ghoaram sha shah kha khe kawam kawom kawalay kawale kaw kawa kawai kom
        kram der dera deer khpal khpl khpla wror wrora rora khor khwar khwor mor plar zoy zoi lur loor
        mashoom mashoman malgare malgari malgaray yaw yao dwa dre dray tsalor salor pinza pinzah shpag
        shpug owa uwa ata atta naha nah las nan saba sabaa os oos ous dalta halta dodai dodei khob
        naroogh narogh wagay wage pukhto pashto pakhto pohegam pohezham pohigam pohizhum wayam zam razam
        rasha lar lara sara pa ke aw kho haw ho ne nishta shta shata paisay paise pese pulis sarhad
        daktar dactar roghton pasport kor kaly staray starai stari mashe mashay mashai khair khairyat
        khuday khudai paamaan pamaan aman jor zarurat pakar pakaar raka rawra warta rata mata tata kar
        kaar wakhla raza wakri wakre kawi kawe
    """,
    "ur-Latn": """
        main mai mein mujhe mujhay muje mjhe mujhko tum tu aap ap apka aapka apki aapki woh wo vo hum
        ham unka uska mera meri mere tera teri tumhara hamara hai hain hay hy hoon hun hu tha thi nahi
        nahin nai na mat haan han ha ji jee kya kia kyun kyon kaise kese kaisay kahan kahaan kab kitna
        kitne kitni kaun kon kuch koi madad madat chahiye chahie chaiye chahye shukriya shukria
        meherbani meharbani salaam assalam alaikum khuda hafiz allah bhai bhaijan yaar yar behen behan
        ammi abbu abu walid maa baap beta beti bache bachay biwi shohar dost ek do teen char paanch
        panch chhe saat aath nau das aaj kal abhi ab yahan wahan paani pani khana roti sona bimar beemar
        thaka bhook bhookh urdu hindi angrezi samajh samjha samajhta pata ko se ka ki ke ne par pe aur
        lekin magar ya bhi bahut bohat bohot acha achha accha theek thik kar karo karna karein karen
        kardo raha rahi rahe gaya gayi gaye jana jaana jaa ja aana aa chahta chahti sakta sakti sakte
        milega mil paisa paise sarhad aspatal hospatal ghar kaam naukri kamra batao bataye bolo suno
        dekho chalo jaldi hoga hogi hua hui zaroorat zarurat raat din subah ho
    """,
    "bn-Latn": """
        ami amar amake amra amader tumi tomar tomake tomra apni apnar apnake apnara se tar take ora
        tader ache achhe achi achhi achen achho acho nai nei na hya ha ji hoy hobe holo ki keno kothay
        kothai kobe koto kemon kamon kivabe kibhabe ke kake dorkar lagbe chai chaai sahajjo sahajyo
        sahayya shahajjo dhonnobad dhonyobad dhonnobaad bhai bhaiya apa didi dada ma baba bon chele meye
        bacha bou swami bondhu ek dui tin char pach panch choy chhoy sat aat ath noy dosh aj aaj kal
        kalke ekhon ekhane okhane pani jol khabar khana ghum ghumabo osukh asustho khida klanto bangla
        bangali ingreji bujhi bujhina bujhte jani janina korbo korchi korte kori koro koren jabo jai
        jaben jacchi asbo dite dao den din diben nibo parbo pari parben taka simanto daktar haspatal
        bari ghor kaj chakri thik bhalo valo onek khub ektu ar ebong kintu theke jonno sathe songe diye
        bolen bolo shunen nam kotha ekta shob sob amk tmk kno
    """,
    "ar": """
        أنا انا أنت انت انتي هو هي نحن احنا حنا هم انتم انتو أنتم هذا هذه هاد هادا هاي هيدا ده دي دا
        ماذا شو شنو ايش وش ليش ليه لماذا كيف كيفك كيفكم ازاي إزاي ازيك شلونك شلون لاباس واش فين وين أين
        اين متى امتى وقتاش كم قديش بكم قداش مين منو شكون هل نعم ايوه أيوه اه آه إي اي لا لأ مش مو ما
        مافي ماكو مفيش ماشي شكرا شكراً مشكور مشكورة العافية تسلم مرحبا اهلا أهلا السلام عليكم وعليكم
        صباح الخير مساء السلامة أريد اريد أبغى ابغى ابي بدي بدنا عايز عاوز بغيت نحتاج أحتاج احتاج محتاج
        ممكن لازم يجب ساعدني ساعدوني ساعدونا مساعدة فلوس مصاري مال نقود شرطة الشرطة البوليس بوليس حدود
        الحدود مخيم المخيم طبيب دكتور مستشفى المستشفى جواز باسبور سفر عائلة عائلتي عيلتي أمي امي ماما
        أبي أبوي بابا أخي اخي اخوي خويا أختي اختي أولادي ولادي اطفال أطفال زوجتي مرتي زوجي صديقي صاحبي
        رفيقي واحد اثنين اتنين تنين ثلاثة تلاتة أربعة اربعة خمسة ستة سبعة ثمانية تمانية تسعة عشرة اليوم
        بكرا بكره بكرة غدا هلق هلأ الحين هسه هسة دلوقتي دابا الآن الان هنا هون هناك مية ماء أكل اكل خبز
        نوم تعبان مريض جوعان عربي العربية إنجليزي انجليزي أفهم افهم مافهمت فاهم بعرف أعرف اعرف في على
        الى إلى عن مع أو او لكن بس كتير كثير جدا جداً أوي شوية شوي والله الله ان انشالله إنشاءالله يا
        حبيبي يلا يالله طيب تمام زين منيح كويس مليح بخير لله الحمدلله اللي عندي معي فيه كمان بدك تقدر
        اقدر ابن بنت
    """,
    "fa": """
        من تو او ما شما آنها اونا اونها ایشان وی مه است هست هستم هستی هستیم هستید هستن هستند نیست نیستم
        نیستی نیستن استم استی استیم استین استید استن بود بودم چی چه چرا چطور چطوری چطورید چطورین چگونه
        کجا کجاست کجایی کجاس کی کدام کدوم چند چقدر نه نخیر بله بلی آره اره نی درود خداحافظ خدافظ
        خدانگهدار مرسی ممنون ممنونم متشکرم تشکر سپاس بخیر خوبی خوبید خوبین خوبم خوب جان جون میخوام
        می‌خوام میخواهم می‌خواهم میخوایم می‌خوایم میخوای میخواین میخواستم می‌خواستم لازم دارم نیاز
        احتیاج ضرورت کمک کمکم کنید کنین کن کنم میکنم می‌کنم میکنید می‌کنید داری داره دارید دارین ندارم
        ندارن نداره میتونم می‌تونم میتوانم می‌توانم میتانم می‌تانم نمیتانم میشه می‌شه میشود می‌شود برم
        بیام میرم می‌رم میروم بریم رفتم اومدم آمدم بگو بگید بگین میدونم می‌دونم نمیدونم نمی‌دونم نمیفهمم
        نمی‌فهمم فارسی دری انگلیسی پول پیسه پلیس پولیس مرز سرحد کمپ اردوگاه دکتر داکتر پزشک بیمارستان
        شفاخانه پاسپورت گذرنامه تذکره خانواده فامیل مادر مادرم پدر پدرم برادر برادرم خواهر خواهرم بچه
        بچه‌ها بچه‌هام بچه‌ام اولاد زن زنم شوهر شوهرم دوست دوستم رفیق یک یه دو سه چهار پنج شش هفت هشت ده
        امروز فردا الان حالا اینجا اونجا آنجا آب غذا نان خواب مریض بیمار گرسنه گشنه خسته را رو به از با
        در برای واسه که و یا ولی اما هم خیلی زیاد کمی یکم یکمی این اون آن همین چیز چیزی هیچ چون اگه اگر
        باید بیا برو جور مهربانی لطفا لطفاً لطفن ببخشید ببخشین معذرت مشکل کار خونه خانه کده بسیار کتی
    """,
    "ps": """
        زه ته هغه دی دې ده دا موږ مونږ تاسو تاسی تاسې زما ستا زمونږ زموږ د په کې کی سره څخه نه ولې ولی
        څه سه څنګه څنگه سنگه سنګه چیرته چېرته چرته کوم کله څومره سومره څوک سوک هو هوکې هوکی نشته شته
        ستړی ستړي ستری ستړې مه شې شی مننه منته ډېره ډیره دیره ډېر ډیر دیر مهرباني مهربانی خدای پامان
        امان خیر ښه یم یې یی یئ دي وو وه غواړم غوارم غواړو غوارو غواړې غواړی غواری غواړئ غوارئ اړتیا
        ارتیا ضرورت پکار کوو کړم کرم کړه کره وکړئ وکړه وکره وکری مرسته مرستې مرستی راسره ماسره ځم زم ځو
        راځم رازم راشه ورشه پوهیږم پوهېږم پوهیزم پوهیژم وایم ووایه پیسې پیسی پولیس سرحد پوله کمپ کیمپ
        ډاکټر داکتر ډاکتر روغتون پاسپورټ پاسپورت تذکره کورنۍ کورنی مور پلار ورور وروڼه خور خویندې زوی
        لور ماشوم ماشومان ښځه میړه ملګری ملگری ملګرې یو دوه درې دری څلور سلور پنځه پنزه شپږ شپژ اووه اوه
        اته نهه لس نن سبا اوس دلته هلته اوبه ډوډۍ ډوډی دودی خوراک ناروغ وږی ستومانه پښتو پشتو پختو
        انګلیسي انگلیسی او خو هم کور کار دنده ځای زای لاره موټر هغوی دوی ورته راته ماته تاته خپل خپله
        ورسره ولاړ شو شوم کوی کوئ ګوره وګوره ګورم کولای کولی
    """,
    "ur": """
        میں مین مجھے مجهے مجھ مجه مجھکو تم آپ اپ وہ وه ہم ان اس میرا میری میرے تیرا تمہارا آپکا ہمارا ہے
        هے ہیں هیں هین ہوں هوں هون ہو تھا تها تھی تهی تھے تهے نہیں نهیں نهین نہی نهی ہاں هاں جی کیا کیوں
        کیسے کیسا کیسی کہاں کهاں کهان کب کتنا کتنے کتنی کون کوئی کچھ کچه شکریہ شکریه مہربانی اللہ حافظ
        بھائی بهائی بھائ بہن بهن امی ابو ابا ماں باپ والد بیٹا بیٹی بچے بچہ بیوی شوہر ایک تین چار پانچ
        چھ سات آٹھ آٹه اٹھ نو دس آج کل ابھی ابهی اب یہاں یهاں یهان وہاں پانی کھانا کهانا روٹی سونا بیمار
        بھوک تھکا اردو انگریزی سمجھ سمجه پتہ پتا مدد چاہیے چاهیے چاہئے چاهئے چاہیئے ضرورت کرو کرنا کریں
        کرے کر رہا رہی رہے رها رهی گیا گئی گئے جانا جا آنا چاہتا چاہتی سکتا سکتی سکتے پیسے پیسہ پولیس
        بارڈر سرحد ڈاکٹر ہسپتال هسپتال اسپتال پاسپورٹ کیمپ گھر گهر کام نوکری کمرہ بتاؤ بتائیں بتاو بولو
        سنو دیکھو چلو جلدی ہوگا ہوگی ہوا ہوئی کو سے کا کی کے نے پر اور لیکن مگر یا بھی بهی بہت بهت اچھا
        اچها ٹھیک ٹهیک تهیک یار
    """,
    "ckb": """
        من تۆ ئەو ئێمە ئیمە ئێوە ئیوە ئەوان ئەم ئەوە ئەمە هەیە نییە نیە هەمە بەڵێ بەلێ ئا ئەرێ نەخێر
        نەخیر نا سڵاو سلاو سوپاس زۆر زور بەخێربێی خوات لەگەڵ لەگەل خواحافیز چۆنی چونی چۆن باشی باشم باش
        کوێ کوی لەکوێ کەی چەند چەن بۆچی بوچی چییە کێ کام یارمەتی یارمەتیم بدە پێویستم پێویست پیویست
        دەمەوێت دەمەوێ دەمەوی دەتەوێت دەکەم دەکەین دەتوانم ناتوانم دەزانم نازانم تێناگەم تێدەگەم دەڕۆم
        دەروم دێم بڕۆ وەرە پارە پۆلیس سنوور سنور کەمپ ئۆردوگا دکتۆر دکتور پزیشک نەخۆشخانە پاسەپۆرت
        پاسپۆرت خێزان خیزان دایک دایکم باوک باوکم برا براکەم خوشک خوشکم منداڵ مندال منداڵەکان ژن ژنەکەم
        مێرد هاوڕێ هاوری یەک دوو سێ چوار پێنج پینج شەش حەوت هەشت نۆ دە ئەمڕۆ ئەمرو سبەی سبەینێ ئێستا
        ئیستا ئێرە ئیرە ئەوێ ئاو خواردن نان خەو نەخۆش برسی ماندوو کوردی سۆرانی ئینگلیزی و یان بەڵام
        بەلام لە بۆ بو بە ئەگەر تەنها کەمێک کار ماڵ ژوور ناو ناوم ناوت گیان کاکە کاک بێ بکە
    """,
    "ru": """
        я ты он она оно мы вы они меня мне тебя тебе его ее её нас нам вас вам их мой моя мое моё мои
        твой твоя наш ваш это этот эта тот там тут здесь есть был была были будет не нет да ага привет
        здравствуйте здрасте добрый день утро вечер спокойной ночи спасибо пожалуйста пока до свидания
        извините простите помощь помогите помоги нужна нужно нужен надо хочу хотим хочешь могу можно
        можете где когда сколько как что чо че почему зачем кто какой какая деньги денег полиция полиции
        граница границы лагерь врач врача доктор больница больницу паспорт документы семья мама папа
        мать отец брат сестра ребенок ребёнок дети жена муж друг один два три четыре пять шесть семь
        восемь девять десять сегодня завтра сейчас вода еда хлеб спать болит больной голодный устал
        понимаю говорю говорите русский английский знаю иду идти ехать автобус поезд билет телефон
        работа жить дом и или но в на с у к от для из по о очень хорошо плохо ладно всё все ничего тоже
        только еще ещё уже зовут
    """,
    "uk": """
        я ти він вона воно ми ви вони мене мені тебе тобі його її нас нам вас вам їх мій моя моє мої
        твій твоя наш ваш це цей ця той там тут є був була були буде не ні так привіт вітаю добрий день
        ранок вечір надобраніч дякую будь ласка бувай побачення вибачте перепрошую допомога допомогти
        допоможіть допоможи потрібна потрібно потрібен треба хочу хочемо можу можна можете де коли
        скільки як що чому навіщо хто який яка гроші грошей поліція поліції кордон кордону табір лікар
        лікаря лікарня паспорт документи родина сімʼя мама тато мати батько брат сестра дитина діти
        дружина чоловік друг один два три чотири шість сім вісім десять сьогодні завтра зараз вода їжа
        хліб спати болить хворий голодний втомився розумію говорю розмовляю українська англійська знаю
        йду їхати автобус потяг квиток телефон робота житло і й та або але в у на з від для до із по
        дуже добре погано гаразд все нічого теж тільки ще вже звати пʼять девʼять
    """,
    "sr": """
        ја ти он она оно ми ви они мене мени тебе теби њега њему њој нас нама вас вама њих мој моја моје
        твој твоја наш ваш ово овај ова тај тамо овде овдје јесам сам си је смо сте су нисам није нису
        био била ће не да нема има имам имамо здраво ћао добар дан добро јутро вече лаку ноћ хвала пуно
        молим извините извини довиђења помоћ помозите помози треба требам хоћу хоћемо желим могу можете
        може где гдје када кад колико како зашто шта ко који која новац паре полиција полицајац граница
        логор лекар лекара доктор болница пасош документи папири породица мајка мама отац тата брат
        сестра дете деца жена муж пријатељ друг један једна два три четири пет шест седам осам девет
        десет данас сутра сада сад вода храна хлеб јести спавати болестан гладан уморан разумем говорим
        српски енглески знам идем ићи аутобус воз карта телефон посао стан и или али за са у на од до из
        код баш јако врло лоше брате нешто ништа зовем
    """,
    "mk": """
        јас ти тој таа тоа ние вие тие мене ми тебе него нему неа нејзе нас нам вас вам нив ним мој моја
        мое мои твој твоја наш ваш ова овој оваа таму тука сум си е сме сте се не нема да има имам имаме
        здраво чао добар ден добро утро вечер добра ноќ благодарам фала многу ве молам извинете извини
        довидување помош помогнете помогни треба сакам сакаме можам може можете каде кога колку како
        зошто што кој која пари полиција полицаец граница логор доктор лекар болница пасош документи
        семејство мајка мама татко тато брат сестра дете деца жена сопруга маж сопруг пријател другар
        еден една два три четири пет шест седум осум девет десет денес утре сега вода храна леб јадам
        спијам болен гладен уморен разбирам зборувам македонски англиски знам одам оди автобус воз билет
        телефон работа стан и или ама но за со во на од до кај арно лошо ќе викам нешто ништо
    """,
}
