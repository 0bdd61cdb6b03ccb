"""Name lists for synthetic people, by community, as plain data (no real people: names are combined at random).

Each community has given names by gender, family names, the languages its people speak (ISO 639-3 codes that
icmc.cases.forms accepts) and how a full name is put together. VARIANTS lists the spellings the same name is
found under in case files (transliteration is not standardised), NATIVE the Devanagari or Bengali-Assamese
rendering of a name part, used as an alias or, for a few people, as the name itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Community:
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    languages: tuple[str, ...]
    citizenship: str = "IN"
    # "{given} {family}" for most; Meitei names put the family name first and a gendered suffix last;
    # Burmese and many Mizo names have no family name.
    pattern: str = "{given} {family}"
    female_suffix: str = ""
    male_suffix: str = ""
    native_script: str = ""  # "Deva" | "Beng" | "": which NATIVE table renders these names


def _t(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


COMMUNITIES: dict[str, Community] = {
    "khasi": Community(
        female=_t("Iohbha,Banri,Wanda,Dasuklang,Ibakordor,Phidalin,Badaphira,Iaphisha,Daphimon,Kyntiewlin,Mebanda,"
                  "Shanbha,Ridalin,Baiamonlang,Evanisha,Larisa,Kmenlang,Iadalang,Wansalan,Ibandalin,Grace,Martha"),
        male=_t("Bankitbor,Kyrshan,Wanphai,Pynshai,Dapborlang,Iohskhem,Batskhem,Rikynti,Kitboklang,Donbok,"
                "Shngainlang,Ferdinand,Wanbok,Lamphrang"),
        family=_t("Kharkongor,Lyngdoh,Marbaniang,Nongrum,Syiem,Kharbuli,Nongbri,Lyngwa,Kharsyntiew,Pyngrope,"
                  "Warjri,Mawlong,Dkhar,Sohtun,Nongkynrih,Wahlang,Syngkon,Khongwir,Mawthoh,Kharmawphlang"),
        languages=("kha", "eng"),
    ),
    "pnar": Community(
        female=_t("Dasumarlin,Ibasuklin,Risalin,Shaphrang,Lamonkupar,Kyrmenlang,Daiaka,Ibashisha,Ridashisha"),
        male=_t("Kyrsoibor,Dawan,Wanshan,Khraw,Lamdiamon,Heimonlang,Kynsaibor,Tyngshain"),
        family=_t("Suchiang,Dhar,Pasi,Sungoh,Lamare,Passah,Rymbai,Shylla,Bareh,Tariang,Pale,Siangshai,Talang"),
        languages=("kha",),
    ),
    "garo": Community(
        female=_t("Silme,Rikme,Jengchi,Balsrang,Mitchi,Salseng,Chimchi,Bakchi,Sengme,Esther,Rebecca,Grace"),
        male=_t("Tengsrang,Balsan,Jingjang,Nokseng,Salgira,Rikseng,Tengnang,Chimsrang"),
        family=_t("Sangma,Marak,Momin,Areng,Rangsa,Shira,Dalbot,Ch. Marak,R. Marak,Ch. Momin,Rangsa Marak"),
        languages=("grt", "eng"),
    ),
    "assamese": Community(
        female=_t("Pranita,Jonali,Dipshikha,Rumi,Nilakshi,Bornali,Mousumi,Priyanka,Anjali,Puja,Rashmi,Lakshmi,"
                  "Jyotishmita,Bhagyashree,Rinki,Pallavi"),
        male=_t("Bikash,Pranjal,Dipankar,Rupam,Nayan,Hemanta,Bhaskar,Dhruba,Manash,Jintu"),
        family=_t("Baruah,Gogoi,Bora,Saikia,Das,Kalita,Deka,Hazarika,Sarma,Phukan,Nath,Bhuyan,Medhi,Talukdar"),
        languages=("asm",), native_script="Beng",
    ),
    "bodo": Community(
        female=_t("Jwngsri,Dwimalu,Rwimali,Sansumwi,Mithinga,Jwngma,Anjali,Rupali,Sumitra"),
        male=_t("Rajib,Jwngdao,Dwimu,Sansuma,Bikram,Raju"),
        family=_t("Basumatary,Brahma,Narzary,Boro,Daimary,Mushahary,Swargiary,Islary,Goyary"),
        languages=("brx", "asm"),
    ),
    "adivasi": Community(
        female=_t("Sunita,Mamta,Budhni,Sukurmoni,Phulmoni,Rina,Sarita,Basanti,Somari,Mangri,Anita"),
        male=_t("Birsa,Sanjay,Ramesh,Budhu,Somra,Mangal,Dilip"),
        family=_t("Munda,Oraon,Kujur,Tanti,Tirkey,Bhumij,Karmakar,Lohar,Kurmi,Ekka,Toppo,Santhal"),
        languages=("asm", "hin"),
    ),
    "bengali_hindu": Community(
        female=_t("Mitali,Rupali,Shampa,Mou,Tanushree,Sumita,Lakshmi,Purnima,Rina,Moumita,Puja,Shikha,Mampi"),
        male=_t("Sujit,Bapi,Biswajit,Sanjib,Pradip,Tapan,Gopal,Ratan"),
        family=_t("Das,Dey,Paul,Roy,Sarkar,Debnath,Ghosh,Saha,Biswas,Mondal,Nath,Chakraborty,Sil,Malakar"),
        languages=("ben",), native_script="Beng",
    ),
    "bengali_muslim": Community(
        female=_t("Rahima,Fatema,Ayesha,Nasrin,Rupa,Shirin,Jasmin,Salma,Khadija,Marjina,Taslima,Rozina,Sahida"),
        male=_t("Mohammad,Abdul,Rafiqul,Jamal,Habibur,Shahidul,Nurul,Anowar,Jahirul"),
        family=_t("Ali,Hussain,Rahman,Islam,Ahmed,Sheikh,Uddin,Mia,Laskar,Barbhuiya,Chowdhury,Mollah"),
        languages=("ben",), native_script="Beng",
    ),
    "nepali": Community(
        female=_t("Sita,Gita,Sunita,Maya,Kamala,Laxmi,Sarita,Anita,Pabitra,Bishnu Maya,Sabina,Rojina,Samjhana,"
                  "Puja,Manisha,Sharmila"),
        male=_t("Ram,Krishna,Bikram,Suraj,Dipak,Santosh,Rajesh,Bishal,Prakash,Hari"),
        family=_t("Tamang,Gurung,Rai,Limbu,Thapa,Magar,Sherpa,Chhetri,Shrestha,Lama,Adhikari,Bhattarai,Subba,"
                  "Pradhan,Sharma,Khadka"),
        languages=("nep", "hin"), native_script="Deva",
    ),
    "meitei": Community(
        female=_t("Thoibi,Bembem,Sanatombi,Ibemhal,Linthoi,Memcha,Tombi,Roshni,Sanahanbi"),
        male=_t("Tomba,Ibomcha,Sanajaoba,Ibungo,Premjit,Bobby,Inaocha"),
        family=_t("Laishram,Thockchom,Ningthoujam,Yumnam,Khumanthem,Konsam,Moirangthem,Huidrom,Wahengbam"),
        languages=("mni",), pattern="{family} {given} {suffix}", female_suffix="Devi", male_suffix="Singh",
    ),
    "kuki": Community(
        female=_t("Nengneithem,Hoineilhing,Lhingneikim,Chinneihoi,Boinu,Hatneikim,Nemneilhing"),
        male=_t("Thangminlen,Seilen,Paominlen,Lalminthang,Thangboi,Jamkhomang"),
        family=_t("Haokip,Kipgen,Singson,Touthang,Baite,Guite,Vaiphei,Lhungdim,Misao"),
        languages=("eng",),
    ),
    "mizo": Community(
        female=_t("Lalrinpuii,Lalhmingliani,Zothanpari,Vanlalruati,Malsawmi,Lalremruati,Lalnunpuii,Esther"),
        male=_t("Lalrinmawia,Zoramthanga,Vanlalhruaia,Lalmuanpuia,Lalthanzuala,Malsawma"),
        family=_t("Ralte,Khiangte,Sailo,Chhakchhuak,Pachuau,Hnamte,Fanai,Renthlei,Hmar,Colney"),
        languages=("lus", "eng"),
    ),
    "naga": Community(
        female=_t("Vikhono,Neikuolie,Kevinuo,Thejano,Imlila,Temsula,Sentila,Moatula,Akala,Inaka,Lovitoli"),
        male=_t("Imtiwapang,Temjen,Kevise,Neiphiu,Vikuosa,Hokishe,Toshi,Kihoto"),
        family=_t("Jamir,Longkumer,Ao,Imchen,Pongen,Sema,Zhimomi,Kiho,Yepthomi,Kire,Sekhose,Meru,Angami,Lotha"),
        languages=("eng",),
    ),
    "tripuri": Community(
        female=_t("Rupashree,Sumita,Rinku,Sangita,Jhuma,Anjana,Bijoya,Laxmi,Shefali"),
        male=_t("Bijoy,Ratan,Sukanta,Jiten,Kamal,Manik"),
        family=_t("Debbarma,Reang,Jamatia,Tripura,Noatia,Halam,Kalai,Murasing,Rupini"),
        languages=("ben",),
    ),
    "arunachali": Community(
        female=_t("Yamem,Yalam,Nani,Yater,Omem,Yapi,Yami,Yaniya,Obang,Mepung"),
        male=_t("Tage,Tapi,Takam,Kaling,Oken,Tajum,Tadar,Nyali"),
        family=_t("Tayeng,Perme,Pertin,Taba,Tana,Nabam,Techi,Riba,Bagra,Ete,Mize,Tamuk,Doke"),
        languages=("hin", "eng"),
    ),
    "sikkimese": Community(
        female=_t("Pema,Dechen,Yangchen,Dolma,Tshering,Chunzom,Namita,Sonam"),
        male=_t("Karma,Tshering,Pemba,Sonam,Norbu,Dorjee"),
        family=_t("Lepcha,Bhutia,Namgyal,Lachungpa,Tamang,Sherpa,Dorjee"),
        languages=("nep",),
    ),
    "burmese": Community(
        female=_t("Aye Aye Khaing,Thida,Khin Myo,Su Su,Nilar,Hla Hla,Moe Moe,Thandar,Zin Mar,Nwe Ni,Ei Ei Phyo"),
        male=_t("Kyaw Zin,Aung Ko,Min Thu,Zaw Win,Thant Zin,Htet Aung,Myo Min"),
        family=("",), languages=("mya",), citizenship="MM", pattern="{given}",
    ),
    "chin": Community(
        female=_t("Cing Sian Nuam,Ngun Tha Par,Dim Hoih Lun,Par Tin Sung,Mang Tin Kim"),
        male=_t("Van Lian,Thang Za Dal,Ngun Lian,Za Ceu"),
        family=("",), languages=("mya",), citizenship="MM", pattern="{given}",
    ),
    "hindi": Community(
        female=_t("Rekha,Sunita,Pinky,Gita,Savitri,Poonam,Kiran,Neetu,Suman"),
        male=_t("Rakesh,Sunil,Manoj,Raju,Pappu,Vijay,Sanjay,Ramesh,Suresh,Mukesh,Rajesh,Dinesh,Ajay,Pawan"),
        family=_t("Kumar,Yadav,Singh,Sharma,Gupta,Choudhary,Verma,Mishra,Jat,Saini,Rawat"),
        languages=("hin",), native_script="Deva",
    ),
}

# Communities of citizens of the neighbouring countries (the community's citizenship is overridden).
FOREIGN_COMMUNITIES: dict[str, dict[str, float]] = {
    "BD": {"bengali_muslim": 0.7, "bengali_hindu": 0.3},
    "NP": {"nepali": 1.0},
    "MM": {"burmese": 0.6, "chin": 0.4},
}

# Spellings the same name part is found under. The first of each group is the one in the lists above.
_VARIANT_GROUPS = [
    "Lakshmi,Laxmi,Lokhimi,Lakhi", "Laxmi,Lakshmi,Luxmi", "Mohammad,Mohammed,Md.,Muhammad,Mohd.",
    "Fatema,Fatima", "Ayesha,Aisha,Aysha", "Puja,Pooja", "Gita,Geeta", "Sanjib,Sanjeev,Sanjiv", "Pradip,Pradeep",
    "Dipak,Deepak", "Bikash,Vikash,Bikas", "Chhetri,Chettri,Kshetri", "Baruah,Barua,Borua", "Bora,Borah",
    "Sarma,Sharma", "Hussain,Hossain,Hussein,Hosen", "Ahmed,Ahmad", "Sheikh,Shaikh,Sk.", "Mia,Miah,Miya",
    "Chowdhury,Choudhury,Chaudhuri", "Debbarma,Deb Barma,Debbarman", "Reang,Riang", "Marbaniang,Marbaning",
    "Kharkongor,Kharkongore", "Basumatary,Basumatari", "Narzary,Narzari", "Tirkey,Tirki", "Oraon,Orang",
    "Roy,Ray", "Dey,De", "Paul,Pal", "Sarkar,Sircar", "Mondal,Mandal", "Chakraborty,Chakrabarty,Chakravarty",
    "Mousumi,Moushumi,Mausumi", "Jasmin,Jesmin,Jasmine", "Khadija,Khadiza", "Marjina,Morjina",
    "Rafiqul,Rafikul", "Thockchom,Thokchom", "Shrestha,Shresta,Sreshtha", "Bishal,Vishal", "Bikram,Vikram",
    "Pabitra,Pavitra", "Sangita,Sangeeta", "Bijoy,Bijay", "Tanushree,Tanushri", "Rozina,Rojina",
    "Choudhary,Chaudhary,Chaudhari", "Lyngdoh,Lyngdoh Nonglait", "Areng,Arengh", "Zhimomi,Zhimoni",
    "Barbhuiya,Barbhuyan,Borbhuiya", "Laskar,Lasker", "Priyanka,Priyonka", "Rashmi,Reshmi", "Anowar,Anwar",
    "Nasrin,Nasreen", "Salma,Selma", "Haokip,Haukip", "Dorjee,Dorji", "Tshering,Tsering,Chhiring",
]
VARIANTS: dict[str, tuple[str, ...]] = {}
for _group in _VARIANT_GROUPS:
    _first, *_others = _group.split(",")
    VARIANTS.setdefault(_first, tuple(_others))

# Nicknames suspects go by (recruiters and agents are often known only by these).
SUSPECT_NICKNAMES_MALE = _t("Raju Bhai,Pappu,Bablu,Munna,Tinku,Sonu,Bapi,Chhotu,Babu,Dada,Sethji,Lalu,Guddu")
SUSPECT_NICKNAMES_FEMALE = _t("Didi,Aunty,Madam,Boudi,Baideo,Kong,Maa-ji")

# Name parts in Devanagari (Nepali and Hindi names) and in Bengali-Assamese script (Bengali and Assamese).
NATIVE: dict[str, dict[str, str]] = {
    "Deva": {
        "Sita": "सीता", "Gita": "गीता", "Laxmi": "लक्ष्मी", "Lakshmi": "लक्ष्मी", "Maya": "माया", "Kamala": "कमला",
        "Sunita": "सुनीता", "Sarita": "सरिता", "Anita": "अनिता", "Pabitra": "पवित्रा", "Sabina": "सबिना",
        "Rojina": "रोजिना", "Samjhana": "सम्झना", "Puja": "पूजा", "Manisha": "मनिषा", "Sharmila": "शर्मिला",
        "Bishnu Maya": "विष्णु माया", "Ram": "राम", "Krishna": "कृष्ण", "Bikram": "विक्रम", "Suraj": "सूरज",
        "Dipak": "दीपक", "Santosh": "सन्तोष", "Rajesh": "राजेश", "Bishal": "विशाल", "Prakash": "प्रकाश",
        "Hari": "हरि", "Tamang": "तामाङ", "Gurung": "गुरुङ", "Rai": "राई", "Limbu": "लिम्बु", "Thapa": "थापा",
        "Magar": "मगर", "Sherpa": "शेर्पा", "Chhetri": "क्षेत्री", "Shrestha": "श्रेष्ठ", "Lama": "लामा",
        "Adhikari": "अधिकारी", "Bhattarai": "भट्टराई", "Subba": "सुब्बा", "Pradhan": "प्रधान", "Sharma": "शर्मा",
        "Khadka": "खड्का", "Rekha": "रेखा", "Pinky": "पिंकी", "Savitri": "सावित्री", "Poonam": "पूनम",
        "Kiran": "किरण", "Neetu": "नीतू", "Suman": "सुमन", "Rakesh": "राकेश", "Sunil": "सुनील", "Manoj": "मनोज",
        "Raju": "राजू", "Pappu": "पप्पू", "Vijay": "विजय", "Sanjay": "संजय", "Ramesh": "रमेश", "Suresh": "सुरेश",
        "Mukesh": "मुकेश", "Dinesh": "दिनेश", "Ajay": "अजय", "Pawan": "पवन", "Kumar": "कुमार", "Yadav": "यादव",
        "Singh": "सिंह", "Gupta": "गुप्ता", "Choudhary": "चौधरी", "Verma": "वर्मा", "Mishra": "मिश्रा", "Jat": "जाट",
        "Saini": "सैनी", "Rawat": "रावत",
    },
    "Beng": {
        "Rahima": "রহিমা", "Fatema": "ফাতেমা", "Ayesha": "আয়েশা", "Nasrin": "নাসরিন", "Rupa": "রূপা",
        "Shirin": "শিরিন", "Jasmin": "জেসমিন", "Salma": "সালমা", "Khadija": "খাদিজা", "Marjina": "মর্জিনা",
        "Taslima": "তাসলিমা", "Rozina": "রোজিনা", "Sahida": "সাহিদা", "Mohammad": "মোহাম্মদ", "Abdul": "আব্দুল",
        "Rafiqul": "রফিকুল", "Jamal": "জামাল", "Habibur": "হাবিবুর", "Shahidul": "শহিদুল", "Nurul": "নুরুল",
        "Anowar": "আনোয়ার", "Jahirul": "জাহিরুল", "Ali": "আলী", "Hussain": "হোসেন", "Rahman": "রহমান",
        "Islam": "ইসলাম", "Ahmed": "আহমেদ", "Sheikh": "শেখ", "Uddin": "উদ্দিন", "Mia": "মিয়া",
        "Laskar": "লস্কর", "Barbhuiya": "বড়ভূঁইয়া", "Chowdhury": "চৌধুরী", "Mollah": "মোল্লা", "Mitali": "মিতালী",
        "Rupali": "রূপালী", "Shampa": "শম্পা", "Mou": "মৌ", "Tanushree": "তনুশ্রী", "Sumita": "সুমিতা",
        "Lakshmi": "লক্ষ্মী", "Purnima": "পূর্ণিমা", "Rina": "রিনা", "Moumita": "মৌমিতা", "Puja": "পূজা",
        "Shikha": "শিখা", "Mampi": "মাম্পি", "Sujit": "সুজিত", "Bapi": "বাপি", "Biswajit": "বিশ্বজিৎ",
        "Sanjib": "সঞ্জীব", "Pradip": "প্রদীপ", "Tapan": "তপন", "Gopal": "গোপাল", "Ratan": "রতন", "Das": "দাস",
        "Dey": "দে", "Paul": "পাল", "Roy": "রায়", "Sarkar": "সরকার", "Debnath": "দেবনাথ", "Ghosh": "ঘোষ",
        "Saha": "সাহা", "Biswas": "বিশ্বাস", "Mondal": "মণ্ডল", "Nath": "নাথ", "Chakraborty": "চক্রবর্তী",
        "Sil": "শীল", "Malakar": "মালাকার",
        # Assamese spellings (ৰ, ৱ are Assamese letters of the same script).
        "Baruah": "বৰুৱা", "Gogoi": "গগৈ", "Bora": "বৰা", "Saikia": "শইকীয়া", "Kalita": "কলিতা", "Deka": "ডেকা",
        "Hazarika": "হাজৰিকা", "Sarma": "শৰ্মা", "Phukan": "ফুকন", "Bhuyan": "ভূঞা", "Medhi": "মেধি",
        "Talukdar": "তালুকদাৰ", "Pranita": "প্ৰণীতা", "Jonali": "জোনালী", "Dipshikha": "দীপশিখা", "Rumi": "ৰুমী",
        "Nilakshi": "নীলাক্ষী", "Bornali": "বৰ্ণালী", "Mousumi": "মৌচুমী", "Priyanka": "প্ৰিয়ংকা",
        "Anjali": "অঞ্জলি", "Rashmi": "ৰশ্মি", "Jyotishmita": "জ্যোতিষ্মিতা", "Bhagyashree": "ভাগ্যশ্ৰী",
        "Rinki": "ৰিংকী", "Pallavi": "পল্লৱী", "Bikash": "বিকাশ", "Pranjal": "প্ৰাঞ্জল", "Dipankar": "দীপংকৰ",
        "Rupam": "ৰূপম", "Nayan": "নয়ন", "Hemanta": "হেমন্ত", "Bhaskar": "ভাস্কৰ", "Dhruba": "ধ্ৰুৱ",
        "Manash": "মানস", "Jintu": "জিন্টু",
    },
}
